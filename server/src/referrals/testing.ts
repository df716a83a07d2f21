import type { ReferralData } from "@laget/domain";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";

/** The demo's volunteer contacts: Fjellheim idrettslag's and Røde Kors Fjellheim's. */
export const IDRETTSLAG = "idrettslag@demo.laget.no";
export const RODE_KORS = "frivillig@demo.laget.no";
export const KOORDINATOR = "koordinator@demo.laget.no";

/** Consent terms that let the case's child be referred to these units (purpose `referral`, identity only). */
export function referralConsentTerms(subjectId: string, unitIds: string[], overrides: Record<string, unknown> = {}) {
  return consentTerms(subjectId, [], {
    provisions: unitIds.map((unitId) => ({ unitId, actions: ["access"], purposes: ["referral"], categories: ["identity"], denies: [] })),
    ...overrides,
  });
}

/** The minimum data of a referral, about a child with this first name. */
export const referralData = (firstName: string, overrides: Partial<ReferralData> = {}): ReferralData => ({
  firstName,
  age: 10,
  contactPreference: "phone",
  contactDetails: "+47 900 00 000",
  need: "Vil gjerne spille fotball med jevnaldrende",
  availability: "Ettermiddager",
  language: "nb",
  interpreterNeeded: false,
  ...overrides,
});

export type ReferralCase = {
  caseId: string;
  subjectId: string;
  consentId: string;
  units: Record<string, string>;
  /** Fjellheim idrettslag's football offer. */
  footballOfferId: string;
};

/**
 * A case of the school's coordinator about one child, with an active consent that lets
 * it be referred to Fjellheim idrettslag and Røde Kors Fjellheim.
 */
export async function referralCase(coordinator: TrpcClient, childName: string, options: { consent?: boolean } = {}): Promise<ReferralCase> {
  const units = await unitIdsByName(coordinator);
  const { caseId, subjectId } = await createChildCase(coordinator, units["Fjellheim skole"]!, childName, 2016);
  let consentId = "";
  if (options.consent !== false) {
    consentId = (
      await coordinator.mutationOk<{ consentId: string }>("consents.create", {
        caseId,
        ...referralConsentTerms(subjectId, [units["Fjellheim idrettslag"]!, units["Røde Kors Fjellheim"]!]),
      })
    ).consentId;
    await coordinator.mutationOk("consents.activate", { consentId });
  }
  const recipients = await coordinator.queryOk<{ unitId: string; offers: { id: string; title: string }[] }[]>("referrals.recipients", { caseId });
  const football = recipients.find((r) => r.unitId === units["Fjellheim idrettslag"])!.offers.find((o) => o.title.startsWith("Fotball"))!;
  return { caseId, subjectId, consentId, units, footballOfferId: football.id };
}

/** A referral of the case's child to Fjellheim idrettslag's football offer, sent unless `send: false`. */
export async function sendReferral(coordinator: TrpcClient, c: ReferralCase, firstName: string, options: { send?: boolean; recipient?: string } = {}) {
  const recipientUnitId = c.units[options.recipient ?? "Fjellheim idrettslag"]!;
  return (
    await coordinator.mutationOk<{ referralId: string }>("referrals.create", {
      caseId: c.caseId,
      subjectId: c.subjectId,
      recipientUnitId,
      ...(recipientUnitId === c.units["Fjellheim idrettslag"] ? { offerId: c.footballOfferId } : {}),
      data: referralData(firstName),
      supportScheme: "fritidskort",
      send: options.send ?? true,
    })
  ).referralId;
}
