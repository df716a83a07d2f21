/**
 * The vocabulary of the consent decision (DESIGN.md §4). Everything here is plain data:
 * the server loads it from the database, `decide()` judges it without I/O.
 */

/** Data categories a consent provision can cover. */
export const categories = [
  "identity",
  "plan",
  "conversation",
  "minutes",
  "school",
  "kindergarten",
  "health",
  "nav",
  "child_welfare",
  "housing",
  "police",
] as const;
export type Category = (typeof categories)[number];

/** Why the data is used. */
export const purposes = ["coordination", "meeting", "referral", "slt_followup"] as const;
export type Purpose = (typeof purposes)[number];

/** What a provision lets the recipient unit do: see/contribute (`access`) or pass on (`disclose`). */
export const provisionActions = ["access", "disclose"] as const;
export type ProvisionAction = (typeof provisionActions)[number];

/** What a caller asks to do. read and write need `access`; disclose needs `disclose`. */
export const actions = ["read", "write", "disclose"] as const;
export type Action = (typeof actions)[number];

export const consentStatuses = [
  "draft",
  "requested",
  "active",
  "withdrawn",
  "expired",
  "superseded",
  "invalidated",
  "refused",
] as const;
export type ConsentStatus = (typeof consentStatuses)[number];

/** A nested exception inside a provision: an omitted list means "all". */
export type DenyRule = {
  actions?: readonly ProvisionAction[];
  purposes?: readonly Purpose[];
  categories?: readonly Category[];
};

/** One recipient unit's permission within a consent. */
export type Provision = {
  unitId: string;
  actions: readonly ProvisionAction[];
  purposes: readonly Purpose[];
  categories: readonly Category[];
  denies: readonly DenyRule[];
};

export type ConsentSnapshot = {
  id: string;
  version: number;
  status: ConsentStatus;
  /**
   * The unit that manages the consent (the case's owner, where the coordinator sits).
   * The consent circle: it gets every category any provision shares (DESIGN.md §4.3).
   */
  managingUnitId: string;
  periodStart: Date;
  periodEnd: Date;
  provisions: readonly Provision[];
};

/** Sharing on a legal basis instead of consent, to one recipient unit. */
export type DisclosureSnapshot = {
  id: string;
  /** The unit that disclosed: only its own data crosses to the recipient, never another unit's. */
  disclosingUnitId: string;
  recipientUnitId: string;
  categories: readonly Category[];
  purposes: readonly Purpose[];
  /** Disclosures can be time-limited; null means until revoked. */
  validUntil: Date | null;
  revoked: boolean;
};

/** A case's lifecycle: a closed case is read-only for everyone (DESIGN.md §3). */
export const caseStatuses = ["open", "paused", "closed"] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** One membership of the actor: the role they hold in one unit (DESIGN.md §3). */
export type UnitRole = { unitId: string; role: string };

export type PolicyActor = {
  userId: string;
  municipalityId: string;
  /** Active units the user is a member of (through any role). */
  unitIds: readonly string[];
  /**
   * The roles the user holds, per unit: what the role rules (leader reviews, SLT
   * coordinator) judge. Absent means none: a role rule then denies, by default.
   */
  roles?: readonly UnitRole[];
};

/** A unit taking part in the case; `userIds` empty means everyone in the unit. */
export type Participant = { unitId: string; userIds: readonly string[] };

/** Case-level facts needed to decide, without the case's content. */
export type CaseFacts = {
  caseId: string;
  municipalityId: string;
  owningUnitId: string;
  coordinatorUserId: string;
  /** A closed case is read-only: decide() refuses every write and disclose on it. */
  status: CaseStatus;
  participants: readonly Participant[];
  consents: readonly ConsentSnapshot[];
  disclosures: readonly DisclosureSnapshot[];
  /**
   * The municipality's volunteer units: they never get a case, a plan, a note or a
   * thread, whatever the records say (DESIGN.md §4.3), so none of them ever qualifies.
   */
  volunteerUnitIds: readonly string[];
};

/** What is being accessed: some category of data in a case, owned by one unit. */
export type CaseResource = {
  case: CaseFacts;
  category: Category;
  /** The unit whose data it is (a note's author unit); defaults to the case's owning unit. */
  dataOwnerUnitId?: string;
};

export type Basis =
  | { kind: "own_unit"; unitId: string }
  | { kind: "consent"; consentId: string; consentVersion: number; unitId: string }
  | { kind: "disclosure"; disclosureId: string; unitId: string };

/** What the caller must do when allowed: always audit. */
export type Obligation = "audit";

export type DenyReason =
  | "other_municipality"
  /** Purpose `referral` covers a referral's own minimum data, never the case's. */
  | "referral_purpose"
  | "not_participant"
  | "no_basis"
  | "denied_by_consent"
  /** A basis exists, but the case is closed: it can be read, never changed. */
  | "case_closed";

export type Decision =
  | { allow: true; basis: Basis; obligations: readonly Obligation[] }
  | { allow: false; reason: DenyReason };
