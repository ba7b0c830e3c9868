/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The elements' words, bundled in English, German and Arabic (right to left); `setMessages` overrides any of them.
// `{name}` in a message is replaced by the named value (textContent only: values are other people's words).
import { AtakoraError } from '../client/client-error.js';
import { ADMIN_AR, ADMIN_DE, ADMIN_EN } from './messages-admin.js';
import { FIELD_AR, FIELD_DE, FIELD_EN } from './forms/field-messages.js';

/** A locale's messages by key (see {@link ENGLISH_MESSAGES} for every key). */
export type Messages = Readonly<Record<string, string>>;

/**
 * The English messages: every key an element reads (`setMessages` overrides them, or adds a locale).
 *
 * @example
 * ```ts
 * import { ENGLISH_MESSAGES } from '@atakora/component/elements';
 * Object.keys(ENGLISH_MESSAGES).includes('invite'); // true
 * ```
 */
export const ENGLISH_MESSAGES: Messages = {
  loading: 'Loading…',
  retry: 'Try again',
  cancel: 'Cancel',
  confirm: 'Confirm',
  close: 'Close',
  done: 'Done.',
  error: 'Something went wrong',
  signIn: 'Sign in to continue.',
  noOrganization: 'Choose or create an organization first.',
  organizations: 'Organizations',
  noOrganizations: 'You belong to no organization yet.',
  current: 'current',
  switchTo: 'Switch to {name}',
  create: 'Create',
  newOrganization: 'New organization',
  organizationName: 'Organization name',
  switched: 'Now working in {name}.',
  created: 'Organization {name} created.',
  members: 'Members',
  noMembers: 'No members.',
  role: 'Role',
  roles: 'Roles',
  rolesOf: 'Roles of {name}',
  remove: 'Remove',
  removeWho: 'Remove {name}',
  confirmRemove: 'Remove {name} from the organization? They lose access at once.',
  removed: '{name} was removed.',
  rolesChanged: '{name} is now {role}.',
  changeRole: 'Change role',
  confirmOwnRole:
    'Change your own role from {from} to {role}? You lose rights at once and cannot give them back yourself.',
  invitations: 'Invitations',
  noInvitations: 'No open invitations.',
  invite: 'Invite',
  email: 'E-mail',
  invited: 'Invitation sent to {name}.',
  inviteCreated:
    'Invitation for {name} created. No e-mail was sent: share the link below with them.',
  inviteLink: 'Invitation link (shown once)',
  expires: 'expires {date}',
  resend: 'Resend',
  resendTo: 'Resend the invitation to {name}',
  resent: 'Invitation to {name} sent again.',
  relinked: 'New invitation link for {name}: the earlier one no longer works.',
  revoke: 'Revoke',
  revokeFor: 'Revoke the invitation to {name}',
  confirmRevoke: 'Revoke the invitation to {name}? The link stops working.',
  revoked: 'Invitation to {name} revoked.',
  joinRequests: 'Requests to join',
  noJoinRequests: 'No requests to join.',
  approve: 'Approve',
  approveWho: 'Approve {name}',
  decline: 'Decline',
  declineWho: 'Decline {name}',
  approved: '{name} joined.',
  declined: 'Request of {name} declined.',
  confirmDecline: 'Decline the request of {name} to join? It is deleted; they may ask again.',
  invitationTitle: 'Invitation',
  invitationText: '{inviter} invites {email} to {organization} as {role}.',
  invitationExpires: 'The invitation expires {date}.',
  accept: 'Accept',
  accepted: 'You joined {name}.',
  invitationDeclined: 'Invitation declined: you joined nothing.',
  noInvitation: 'No invitation in this link.',
  plan: 'Plan',
  planName: 'Your plan: {name}',
  features: 'Features',
  noFeatures: 'No features on this plan.',
  limits: 'Limits',
  seats: 'Seats',
  unlimited: 'unlimited',
  usedOf: '{used} of {limit}',
  over: 'over the plan',
  overNote: 'Over the plan: new ones are refused until you upgrade or remove some.',
  plans: 'Plans',
  perMonth: '${price} a month',
  perSeatMonth: '${price} a seat a month',
  noPrice: 'Price on request',
  trial: '{days}-day trial',
  upgradeTo: 'Upgrade to {name}',
  inPlans: 'In {plans}',
  notInPlan: 'Not in your plan',
  portal: 'Manage billing',
  marketplace: 'Billed through Azure Marketplace: change the plan in the Azure portal.',
  redirecting: 'Opening the payment page…',
  settings: 'Organization settings',
  rename: 'Rename',
  renamed: 'Renamed to {name}.',
  deleteOrganization: 'Delete organization',
  confirmDelete:
    'Delete {name}? Its members lose access at once; it can be restored until it is erased.',
  deleted: '{name} is deleted; it will be erased on {date}.',
  undelete: 'Restore organization',
  undeleted: '{name} is restored.',
  leave: 'Leave organization',
  confirmLeave: 'Leave {name}? You lose access at once.',
  left: 'You left {name}.',
  status: 'Status',
  active: 'active',
  suspended: 'suspended',
  ...ADMIN_EN,
  ...FIELD_EN,
};

const DE: Messages = {
  loading: 'Wird geladen…',
  retry: 'Erneut versuchen',
  cancel: 'Abbrechen',
  confirm: 'Bestätigen',
  close: 'Schließen',
  done: 'Erledigt.',
  error: 'Etwas ist schiefgelaufen',
  signIn: 'Melden Sie sich an, um fortzufahren.',
  noOrganization: 'Wählen oder erstellen Sie zuerst eine Organisation.',
  organizations: 'Organisationen',
  noOrganizations: 'Sie gehören noch keiner Organisation an.',
  current: 'aktuell',
  switchTo: 'Zu {name} wechseln',
  create: 'Erstellen',
  newOrganization: 'Neue Organisation',
  organizationName: 'Name der Organisation',
  switched: 'Sie arbeiten jetzt in {name}.',
  created: 'Organisation {name} erstellt.',
  members: 'Mitglieder',
  noMembers: 'Keine Mitglieder.',
  role: 'Rolle',
  roles: 'Rollen',
  rolesOf: 'Rollen von {name}',
  remove: 'Entfernen',
  removeWho: '{name} entfernen',
  confirmRemove: '{name} aus der Organisation entfernen? Der Zugriff endet sofort.',
  removed: '{name} wurde entfernt.',
  rolesChanged: '{name} ist jetzt {role}.',
  changeRole: 'Rolle ändern',
  confirmOwnRole:
    'Eigene Rolle von {from} in {role} ändern? Ihre Rechte entfallen sofort; selbst holen Sie sie nicht zurück.',
  invitations: 'Einladungen',
  noInvitations: 'Keine offenen Einladungen.',
  invite: 'Einladen',
  email: 'E-Mail',
  invited: 'Einladung an {name} gesendet.',
  inviteCreated:
    'Einladung für {name} erstellt. Es ging keine E-Mail hinaus: Teilen Sie den Link unten mit der Person.',
  inviteLink: 'Einladungslink (nur einmal angezeigt)',
  expires: 'läuft ab am {date}',
  resend: 'Erneut senden',
  resendTo: 'Einladung an {name} erneut senden',
  resent: 'Einladung an {name} erneut gesendet.',
  relinked: 'Neuer Einladungslink für {name}: der frühere gilt nicht mehr.',
  revoke: 'Widerrufen',
  revokeFor: 'Einladung an {name} widerrufen',
  confirmRevoke: 'Einladung an {name} widerrufen? Der Link funktioniert dann nicht mehr.',
  revoked: 'Einladung an {name} widerrufen.',
  joinRequests: 'Beitrittsanfragen',
  noJoinRequests: 'Keine Beitrittsanfragen.',
  approve: 'Annehmen',
  approveWho: '{name} annehmen',
  decline: 'Ablehnen',
  declineWho: '{name} ablehnen',
  approved: '{name} ist beigetreten.',
  declined: 'Anfrage von {name} abgelehnt.',
  confirmDecline:
    'Beitrittsanfrage von {name} ablehnen? Sie wird gelöscht; eine neue Anfrage ist möglich.',
  invitationTitle: 'Einladung',
  invitationText: '{inviter} lädt {email} als {role} zu {organization} ein.',
  invitationExpires: 'Die Einladung läuft am {date} ab.',
  accept: 'Annehmen',
  accepted: 'Sie sind {name} beigetreten.',
  invitationDeclined: 'Einladung abgelehnt: Sie sind nichts beigetreten.',
  noInvitation: 'Dieser Link enthält keine Einladung.',
  plan: 'Tarif',
  planName: 'Ihr Tarif: {name}',
  features: 'Funktionen',
  noFeatures: 'Keine Funktionen in diesem Tarif.',
  limits: 'Grenzen',
  seats: 'Plätze',
  unlimited: 'unbegrenzt',
  usedOf: '{used} von {limit}',
  over: 'über dem Tarif',
  overNote: 'Über dem Tarif: Neue werden abgelehnt, bis Sie upgraden oder welche entfernen.',
  plans: 'Tarife',
  perMonth: '{price} $ im Monat',
  perSeatMonth: '{price} $ pro Platz im Monat',
  noPrice: 'Preis auf Anfrage',
  trial: '{days} Tage Testzeit',
  upgradeTo: 'Auf {name} upgraden',
  inPlans: 'In {plans}',
  notInPlan: 'Nicht in Ihrem Tarif',
  portal: 'Abrechnung verwalten',
  marketplace: 'Abgerechnet über Azure Marketplace: Ändern Sie den Tarif im Azure-Portal.',
  redirecting: 'Die Zahlungsseite wird geöffnet…',
  settings: 'Einstellungen der Organisation',
  rename: 'Umbenennen',
  renamed: 'Umbenannt in {name}.',
  deleteOrganization: 'Organisation löschen',
  confirmDelete:
    '{name} löschen? Die Mitglieder verlieren sofort den Zugriff; bis zur Löschung kann sie wiederhergestellt werden.',
  deleted: '{name} ist gelöscht und wird am {date} endgültig entfernt.',
  undelete: 'Organisation wiederherstellen',
  undeleted: '{name} ist wiederhergestellt.',
  leave: 'Organisation verlassen',
  confirmLeave: '{name} verlassen? Ihr Zugriff endet sofort.',
  left: 'Sie haben {name} verlassen.',
  status: 'Status',
  active: 'aktiv',
  suspended: 'gesperrt',
};

const AR: Messages = {
  loading: 'جارٍ التحميل…',
  retry: 'أعد المحاولة',
  cancel: 'إلغاء',
  confirm: 'تأكيد',
  close: 'إغلاق',
  done: 'تم.',
  error: 'حدث خطأ',
  signIn: 'سجّل الدخول للمتابعة.',
  noOrganization: 'اختر مؤسسة أو أنشئ واحدة أولاً.',
  organizations: 'المؤسسات',
  noOrganizations: 'لا تنتمي إلى أي مؤسسة بعد.',
  current: 'الحالية',
  switchTo: 'الانتقال إلى {name}',
  create: 'إنشاء',
  newOrganization: 'مؤسسة جديدة',
  organizationName: 'اسم المؤسسة',
  switched: 'أنت الآن تعمل في {name}.',
  created: 'تم إنشاء المؤسسة {name}.',
  members: 'الأعضاء',
  noMembers: 'لا أعضاء.',
  role: 'الدور',
  roles: 'الأدوار',
  rolesOf: 'أدوار {name}',
  remove: 'إزالة',
  removeWho: 'إزالة {name}',
  confirmRemove: 'إزالة {name} من المؤسسة؟ سيفقد الوصول فوراً.',
  removed: 'تمت إزالة {name}.',
  rolesChanged: '{name} الآن {role}.',
  changeRole: 'تغيير الدور',
  confirmOwnRole:
    'تغيير دورك من {from} إلى {role}؟ ستفقد صلاحياتك فوراً ولن تستطيع استعادتها بنفسك.',
  invitations: 'الدعوات',
  noInvitations: 'لا دعوات مفتوحة.',
  invite: 'دعوة',
  email: 'البريد الإلكتروني',
  invited: 'تم إرسال الدعوة إلى {name}.',
  inviteCreated: 'أُنشئت الدعوة لـ {name}. لم يُرسَل بريد إلكتروني: شارك الرابط أدناه معه.',
  inviteLink: 'رابط الدعوة (يظهر مرة واحدة)',
  expires: 'تنتهي في {date}',
  resend: 'إعادة الإرسال',
  resendTo: 'إعادة الإرسال: دعوة {name}',
  resent: 'أُعيد إرسال الدعوة إلى {name}.',
  relinked: 'رابط دعوة جديد لـ {name}: الرابط السابق لم يعد صالحًا.',
  revoke: 'إلغاء الدعوة',
  revokeFor: 'إلغاء الدعوة المرسلة إلى {name}',
  confirmRevoke: 'إلغاء الدعوة المرسلة إلى {name}؟ سيتوقف الرابط عن العمل.',
  revoked: 'أُلغيت الدعوة المرسلة إلى {name}.',
  joinRequests: 'طلبات الانضمام',
  noJoinRequests: 'لا طلبات انضمام.',
  approve: 'قبول',
  approveWho: 'قبول {name}',
  decline: 'رفض',
  declineWho: 'رفض {name}',
  approved: 'انضم {name}.',
  declined: 'رُفض طلب {name}.',
  confirmDecline: 'رفض طلب {name} للانضمام؟ سيُحذف الطلب، ويمكنه أن يطلب مجدداً.',
  invitationTitle: 'دعوة',
  invitationText: '{inviter} يدعو {email} إلى {organization} بدور {role}.',
  invitationExpires: 'تنتهي الدعوة في {date}.',
  accept: 'قبول',
  accepted: 'انضممت إلى {name}.',
  invitationDeclined: 'رُفضت الدعوة: لم تنضم إلى شيء.',
  noInvitation: 'لا دعوة في هذا الرابط.',
  plan: 'الخطة',
  planName: 'خطتك: {name}',
  features: 'الميزات',
  noFeatures: 'لا ميزات في هذه الخطة.',
  limits: 'الحدود',
  seats: 'المقاعد',
  unlimited: 'غير محدود',
  usedOf: '{used} من {limit}',
  over: 'فوق حد الخطة',
  overNote: 'فوق حد الخطة: يُرفض الجديد حتى تُرقّي الخطة أو تحذف بعضها.',
  plans: 'الخطط',
  perMonth: '{price} دولار شهرياً',
  perSeatMonth: '{price} دولار للمقعد شهرياً',
  noPrice: 'السعر عند الطلب',
  trial: 'تجربة {days} يوماً',
  upgradeTo: 'الترقية إلى {name}',
  inPlans: 'ضمن {plans}',
  notInPlan: 'ليست ضمن خطتك',
  portal: 'إدارة الفوترة',
  marketplace: 'تتم الفوترة عبر Azure Marketplace: غيّر الخطة في مدخل Azure.',
  redirecting: 'جارٍ فتح صفحة الدفع…',
  settings: 'إعدادات المؤسسة',
  rename: 'إعادة التسمية',
  renamed: 'أُعيدت التسمية إلى {name}.',
  deleteOrganization: 'حذف المؤسسة',
  confirmDelete: 'حذف {name}؟ سيفقد الأعضاء الوصول فوراً؛ يمكن استعادتها حتى تُمحى.',
  deleted: 'حُذفت {name}؛ ستُمحى في {date}.',
  undelete: 'استعادة المؤسسة',
  undeleted: 'استُعيدت {name}.',
  leave: 'مغادرة المؤسسة',
  confirmLeave: 'مغادرة {name}؟ ستفقد الوصول فوراً.',
  left: 'غادرت {name}.',
  status: 'الحالة',
  active: 'نشطة',
  suspended: 'موقوفة',
};

const bundled = new Map<string, Messages>([
  ['en', ENGLISH_MESSAGES],
  ['de', { ...DE, ...ADMIN_DE, ...FIELD_DE }],
  ['ar', { ...AR, ...ADMIN_AR, ...FIELD_AR }],
]);
const overrides = new Map<string, Record<string, string>>();
const listeners = new Set<() => void>();

/**
 * Override or add messages of a locale (`'de'`, `'fr'`, `'en-GB'`…): the keys given replace the bundled ones,
 * the others stay; every connected element renders again.
 *
 * @example
 * ```ts
 * import { setMessages } from '@atakora/component/elements';
 * setMessages('de', { invite: 'Einladung senden' });
 * setMessages('fr', { invite: 'Inviter', members: 'Membres' }); // a new locale: other keys fall back to English
 * ```
 */
export function setMessages(locale: string, messages: Messages): void {
  // Checked before any is kept: an element renders every message it reads as text.
  if (typeof locale !== 'string' || !locale)
    throw new AtakoraError(
      'setMessages takes a locale such as "de" or "fr-CA".',
      ['setMessages', 'locale'],
      'ELEMENTS_MESSAGES_INVALID',
    );
  for (const [name, value] of Object.entries(messages ?? {}))
    if (typeof value !== 'string')
      throw new AtakoraError(
        `setMessages('${locale}'): the message "${name}" is ${value === null ? 'null' : typeof value}, not text.`,
        ['setMessages', locale, name],
        'ELEMENTS_MESSAGES_INVALID',
      );
  const key = locale.toLowerCase();
  overrides.set(key, { ...overrides.get(key), ...messages });
  for (const l of listeners) l();
}

/** Called on every `setMessages` (an element re-renders); returns its removal. */
export function onMessages(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The message `key` in `locale` (then its language, then English), with `{name}` values put in. */
export function message(
  locale: string,
  key: string,
  values: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const lang = locale.toLowerCase();
  const base = lang.split('-')[0] ?? lang;
  const text =
    overrides.get(lang)?.[key] ??
    overrides.get(base)?.[key] ??
    bundled.get(lang)?.[key] ??
    bundled.get(base)?.[key] ??
    ENGLISH_MESSAGES[key] ??
    key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/**
 * Whether `locale` is written right to left: as the browser's CLDR data says (`Intl.Locale`'s text info: its
 * script's direction, so `az-Arab` too), else by the languages whose usual script is (Arabic, Hebrew, Thaana, Syriac).
 * MDN, Intl.Locale.prototype.getTextInfo() (https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/
 * Global_Objects/Intl/Locale/getTextInfo): "direction … Can be either "ltr" (left-to-right) or "rtl"", and "in some
 * versions of some browsers, this method was implemented as an accessor property called textInfo".
 */
export function isRightToLeft(locale: string): boolean {
  try {
    const tag = new Intl.Locale(locale) as Intl.Locale & {
      getTextInfo?: () => { direction?: string };
      textInfo?: { direction?: string };
    };
    const direction = (tag.getTextInfo?.() ?? tag.textInfo)?.direction;
    if (direction) return direction === 'rtl';
  } catch {
    // Not a BCP 47 tag: the list.
  }
  return /^(ar|arc|ckb|dv|fa|he|iw|ks|ps|sd|syr|ug|ur|yi)(-|$)/i.test(locale);
}
