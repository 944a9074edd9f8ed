// The resolved words for "client"/"contact", available to every view.
import { createContext, useContext, type ReactNode } from "react";
import { DEFAULT_TERMINOLOGY, type Terminology } from "./terminology";

const TermsContext = createContext<Terminology>(DEFAULT_TERMINOLOGY);

export function TermsProvider({ terms, children }: { terms: Terminology; children: ReactNode }) {
  return <TermsContext.Provider value={terms}>{children}</TermsContext.Provider>;
}

export function useTerms(): Terminology {
  return useContext(TermsContext);
}
