// Views receive PaneServices through context so tests can inject fakes.
import { createContext, useContext, type ReactNode } from "react";
import type { PaneServices } from "./services";

const ServicesContext = createContext<PaneServices | null>(null);

export function ServicesProvider({ services, children }: { services: PaneServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): PaneServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error("useServices() needs a <ServicesProvider> above it.");
  return s;
}
