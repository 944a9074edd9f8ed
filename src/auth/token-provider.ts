// What the rest of the pane sees of authentication (createAuth returns one of these).
export interface TokenProvider {
  /** Interactive sign-in where needed; resolves once tokens can be had silently. */
  signIn(): Promise<void>;
  /**
   * A Graph token; `shared` asks for Contacts.ReadWrite.Shared (a shared mailbox's folder); `claims` is a
   * claims challenge's JSON (claims-challenge.ts), for a token that must carry it.
   */
  getGraphToken(opts?: { shared?: boolean; claims?: string }): Promise<string>;
  /** A token for the practice API's own scope (`claims` as for Graph). */
  getPracticeToken(opts?: { claims?: string }): Promise<string>;
  /** The signed-in account's name (UPN), or null before sign-in. */
  accountName(): string | null;
  /**
   * Where the user can change accounts (MSAL outside nested app authentication): forget the account,
   * and sign out then in with another. Absent where the account is not the pane's to change.
   */
  signOut?(): Promise<void>;
  switchAccount?(): Promise<void>;
}
