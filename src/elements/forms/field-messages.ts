// The words of field errors (forms/field-errors.ts), in English, German and Arabic (messages.ts bundles them with
// the others; `setMessages` overrides any of them). `{field}` is the control's own label, in the same locale.
/** A locale's messages by key (messages.ts `Messages`; not imported: messages.ts imports this file). */
type Messages = Readonly<Record<string, string>>;

/** English. */
export const FIELD_EN: Messages = {
  fieldsInvalid: 'Check the fields marked below.',
  'fieldError-required': '{field}: enter a value.',
  'fieldError-format': '{field}: this is not in the form it takes.',
  'fieldError-pattern': '{field}: this holds characters it cannot take.',
  'fieldError-enum': '{field}: choose one of the values this organization offers.',
  'fieldError-maxLength': '{field}: this is too long.',
  'fieldError-type': '{field}: this is not a value it takes.',
  'fieldError-unique': '{field}: this is already taken.',
  'fieldError-invalid': '{field}: this is not valid.',
};

/** German. */
export const FIELD_DE: Messages = {
  fieldsInvalid: 'Bitte prüfen Sie die unten markierten Felder.',
  'fieldError-required': '{field}: Bitte geben Sie einen Wert ein.',
  'fieldError-format': '{field}: Das hat nicht das erwartete Format.',
  'fieldError-pattern': '{field}: Das enthält unzulässige Zeichen.',
  'fieldError-enum': '{field}: Bitte wählen Sie einen der angebotenen Werte.',
  'fieldError-maxLength': '{field}: Das ist zu lang.',
  'fieldError-type': '{field}: Dieser Wert ist nicht zulässig.',
  'fieldError-unique': '{field}: Das ist bereits vergeben.',
  'fieldError-invalid': '{field}: Das ist ungültig.',
};

/** Arabic. */
export const FIELD_AR: Messages = {
  fieldsInvalid: 'تحقّق من الحقول المعلَّمة أدناه.',
  'fieldError-required': '{field}: أدخل قيمة.',
  'fieldError-format': '{field}: الصيغة غير صحيحة.',
  'fieldError-pattern': '{field}: يحتوي على أحرف غير مسموح بها.',
  'fieldError-enum': '{field}: اختر إحدى القيم المتاحة.',
  'fieldError-maxLength': '{field}: القيمة طويلة جداً.',
  'fieldError-type': '{field}: هذه القيمة غير مقبولة.',
  'fieldError-unique': '{field}: هذه القيمة مستخدمة بالفعل.',
  'fieldError-invalid': '{field}: القيمة غير صالحة.',
};
