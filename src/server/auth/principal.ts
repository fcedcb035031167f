/** Who a request acts as, once its credentials check out. */
export interface Principal {
  readonly username: string;
  /** Admins hold MANAGE on every experiment and manage users. */
  readonly isAdmin: boolean;
}

/** A user as stored; the password hash never leaves the store. */
export interface User extends Principal {
  /** Epoch milliseconds. */
  readonly createdAt: number;
}
