/**
 * An IDM email template as IDM keeps it in its config (`emailTemplate/<name>`; IDM's docs, "Email
 * templates"; AIC's default templates as frodo exports them): locale maps for the subject and the
 * message, Handlebars over `object`. Fields a template may lack are `unknown`: a template comes
 * from an admin's PUT and is read defensively.
 */
export interface EmailTemplate {
  /** And whatever else IDM keeps (`html`, `styles`, `displayName`, ...), unread here. */
  readonly [field: string]: unknown;
  readonly enabled?: unknown;
  readonly from?: unknown;
  readonly subject?: unknown;
  readonly message?: unknown;
  readonly mimeType?: unknown;
  readonly defaultLocale?: unknown;
}
