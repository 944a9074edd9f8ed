// What the rest of the pane sees of authentication (createAuth returns one of these).
export interface TokenProvider {
  /** Interactive sign-in where needed; resolves once tokens can be had silently. */
  signIn(): Promise<void>;
  /** A Graph token; `shared` asks for Contacts.ReadWrite.Shared (a shared mailbox's folder). */
  getGraphToken(opts?: { shared?: boolean }): Promise<string>;
  /** A token for the practice API's own scope. */
  getPracticeToken(): Promise<string>;
  /** The signed-in account's name (UPN), or null before sign-in. */
  accountName(): string | null;
}
