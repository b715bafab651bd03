/** The subject and body of one e-mail, in the recipient's language. */
export interface EmailText {
  subject: string;
  text: string;
}

/**
 * The words of every e-mail the platform sends. The use cases decide who is written to and with which
 * facts; the texts live with the other user-facing text in the web catalogues
 * (packages/web/src/i18n/emails.ts) and are plugged in by the composition root.
 */
export interface EmailTexts {
  /** The signing link to a party (resent: a new link replaced the old one). */
  invitation(v: {
    partyName: string;
    agencyName: string;
    provinceName: string;
    quarterLabel: string;
    link: string;
    expiresAt: Date;
    resent: boolean;
  }): EmailText;
  /** A one-time code for the signer. */
  signingCode(v: { code: string; minutes: number }): EmailText;
  /** The signed, sealed PDF, attached. */
  signedCopy(v: {
    signerName: string;
    partyName: string;
    quarterLabel: string;
    documentCode: string;
    verifyUrl: string;
  }): EmailText;
  /** A takedown request to a platform, with its single-use answer link. */
  takedownRequest(v: {
    contactName: string;
    agencyName: string;
    platform: string;
    url: string;
    legalBasis: string;
    statement: string;
    platformNote?: string | undefined;
    dueAt: Date;
    answerUrl: string;
  }): EmailText;
  /** A lead's daily list of parties overdue (dates as YYYY-MM-DD). */
  overdueDigest(v: {
    leadName: string;
    agencyName: string;
    provinceName: string;
    quarterLabel: string;
    today: string;
    overdue: { name: string; groupLabel: string; due: string; daysOverdue: number }[];
  }): EmailText;
}
