/**
 * The element order of Authorize.Net's JSON API. The JSON API is its XML schema (AnetApiSchema.xsd)
 * read as JSON: every object is an `xs:sequence`, so its members must come in the schema's order,
 * and a member out of place or unknown is refused with E00003 before anything is done. The orders
 * here are the schema's, as the official SDK (`authorizenet` 1.0.10, lib/apicontracts.js) builds
 * its objects; only the types the kiosk and its simulator use are listed. The simulator checks every
 * request against them; the client writes its requests in the same order (its tests check that).
 */

/** A type's members in order: each a name, and the type of its value when that is an object. */
export type Sequence = readonly (readonly [member: string, type?: string])[];

const API_REQUEST: Sequence = [
  ["merchantAuthentication", "merchantAuthenticationType"],
  ["clientId"],
  ["refId"],
];

export const ELEMENT_ORDER: Readonly<Record<string, Sequence>> = {
  merchantAuthenticationType: [
    ["name"],
    ["transactionKey"],
    ["sessionToken"],
    ["password"],
    ["impersonationAuthentication"],
    ["fingerPrint"],
    ["clientKey"],
    ["accessToken"],
    ["mobileDeviceId"],
  ],
  createTransactionRequest: [...API_REQUEST, ["transactionRequest", "transactionRequestType"]],
  transactionRequestType: [
    ["transactionType"],
    ["amount"],
    ["currencyCode"],
    ["payment", "paymentType"],
    ["profile", "customerProfilePaymentType"],
    ["solution"],
    ["callId"],
    ["terminalNumber"],
    ["authCode"],
    ["refTransId"],
    ["splitTenderId"],
    ["order", "orderType"],
    ["lineItems"],
    ["tax"],
    ["duty"],
    ["shipping"],
    ["taxExempt"],
    ["poNumber"],
    ["customer", "customerDataType"],
    ["billTo"],
    ["shipTo"],
    ["customerIP"],
    ["cardholderAuthentication"],
    ["retail", "transRetailInfoType"],
    ["employeeId"],
    ["transactionSettings", "arrayOfSetting"],
    ["userFields"],
    ["surcharge"],
    ["merchantDescriptor"],
    ["subMerchant"],
    ["tip"],
    ["processingOptions"],
    ["subsequentAuthInformation"],
    ["otherTax"],
    ["shipFrom"],
    ["authorizationIndicatorType"],
  ],
  paymentType: [
    ["creditCard", "creditCardType"],
    ["bankAccount"],
    ["trackData", "creditCardTrackType"],
    ["encryptedTrackData", "encryptedTrackDataType"],
    ["payPal"],
    ["opaqueData"],
    ["emv"],
    ["dataSource"],
  ],
  creditCardType: [
    ["cardNumber"],
    ["expirationDate"],
    ["cardCode"],
    ["isPaymentToken"],
    ["cryptogram"],
    ["tokenRequestorName"],
    ["tokenRequestorId"],
    ["tokenRequestorEci"],
  ],
  creditCardTrackType: [["track1"], ["track2"]],
  encryptedTrackDataType: [["FormOfPayment", "keyBlock"]],
  keyBlock: [["Value", "keyValue"]],
  keyValue: [["Encoding"], ["EncryptionAlgorithm"], ["Scheme", "keyManagementScheme"]],
  keyManagementScheme: [["DUKPT", "dukpt"]],
  dukpt: [
    ["Operation"],
    ["Mode", "dukptMode"],
    ["DeviceInfo", "dukptDeviceInfo"],
    ["EncryptedData", "dukptEncryptedData"],
  ],
  dukptMode: [["PIN"], ["Data"]],
  dukptDeviceInfo: [["Description"]],
  dukptEncryptedData: [["Value"]],
  customerProfilePaymentType: [
    ["createProfile"],
    ["customerProfileId"],
    ["paymentProfile", "paymentProfile"],
    ["shippingProfileId"],
  ],
  paymentProfile: [["paymentProfileId"], ["cardCode"]],
  orderType: [["invoiceNumber"], ["description"]],
  customerDataType: [["type"], ["id"], ["email"], ["driversLicense"], ["taxId"]],
  transRetailInfoType: [["marketType"], ["deviceType"], ["customerSignature"], ["terminalNumber"]],
  arrayOfSetting: [["setting", "settingType"]],
  settingType: [["settingName"], ["settingValue"]],

  getUnsettledTransactionListRequest: [
    ...API_REQUEST,
    ["status"],
    ["sorting", "transactionListSorting"],
    ["paging", "paging"],
  ],
  getTransactionListRequest: [
    ...API_REQUEST,
    ["batchId"],
    ["sorting", "transactionListSorting"],
    ["paging", "paging"],
  ],
  transactionListSorting: [["orderBy"], ["orderDescending"]],
  paging: [["limit"], ["offset"]],
  getSettledBatchListRequest: [
    ...API_REQUEST,
    ["includeStatistics"],
    ["firstSettlementDate"],
    ["lastSettlementDate"],
  ],
  getTransactionDetailsRequest: [...API_REQUEST, ["transId"]],
  updateHeldTransactionRequest: [...API_REQUEST, ["heldTransactionRequest", "heldTransactionRequestType"]],
  heldTransactionRequestType: [["action"], ["refTransId"]],

  createCustomerProfileRequest: [...API_REQUEST, ["profile", "customerProfileType"], ["validationMode"]],
  customerProfileType: [
    ["merchantCustomerId"],
    ["description"],
    ["email"],
    ["paymentProfiles"],
    ["shipToList"],
    ["profileType"],
  ],
  createCustomerProfileFromTransactionRequest: [
    ...API_REQUEST,
    ["transId"],
    ["customer", "customerProfileBaseType"],
    ["customerProfileId"],
    ["defaultPaymentProfile"],
    ["defaultShippingAddress"],
    ["profileType"],
  ],
  customerProfileBaseType: [["merchantCustomerId"], ["description"], ["email"]],
  getCustomerProfileRequest: [
    ...API_REQUEST,
    ["customerProfileId"],
    ["merchantCustomerId"],
    ["email"],
    ["unmaskExpirationDate"],
    ["includeIssuerInfo"],
  ],
  getHostedProfilePageRequest: [
    ...API_REQUEST,
    ["customerProfileId"],
    ["hostedProfileSettings", "arrayOfSetting"],
  ],
  deleteCustomerProfileRequest: [...API_REQUEST, ["customerProfileId"]],
  deleteCustomerPaymentProfileRequest: [...API_REQUEST, ["customerProfileId"], ["customerPaymentProfileId"]],
  authenticateTestRequest: [...API_REQUEST],
};

/** The API methods: each request's root member names the method and is of the type of that name. */
export const API_METHODS = [
  "authenticateTestRequest",
  "createTransactionRequest",
  "getUnsettledTransactionListRequest",
  "getTransactionListRequest",
  "getSettledBatchListRequest",
  "getTransactionDetailsRequest",
  "updateHeldTransactionRequest",
  "createCustomerProfileRequest",
  "createCustomerProfileFromTransactionRequest",
  "getCustomerProfileRequest",
  "getHostedProfilePageRequest",
  "deleteCustomerProfileRequest",
  "deleteCustomerPaymentProfileRequest",
] as const;
export type ApiMethod = (typeof API_METHODS)[number];

export const SCHEMA_NAMESPACE = "AnetApi/xml/v1/schema/AnetApiSchema.xsd";

/**
 * The first place where `value` breaks the schema's order, in the words the real API uses
 * ("The element 'X' in namespace '…' has invalid child element 'Y' …"), or null when it keeps it.
 * Members whose value is null are absent, as the SDK drops them before sending.
 */
export function orderViolation(type: string, element: string, value: unknown): string | null {
  const sequence = ELEMENT_ORDER[type];
  if (sequence === undefined || value === null || typeof value !== "object" || Array.isArray(value)) {
    return null;
  }
  let position = 0;
  for (const [member, child] of Object.entries(value as Record<string, unknown>)) {
    const found = sequence.findIndex(([name], index) => index >= position && name === member);
    if (found < 0) {
      const expected = sequence
        .slice(position)
        .map(([name]) => `'${name}'`)
        .join(", ");
      return (
        `The element '${element}' in namespace '${SCHEMA_NAMESPACE}' has invalid child element '${member}' ` +
        `in namespace '${SCHEMA_NAMESPACE}'.${expected ? ` List of possible elements expected: ${expected} in namespace '${SCHEMA_NAMESPACE}'.` : ""}`
      );
    }
    position = found + 1;
    const childType = sequence[found]?.[1];
    if (childType === undefined) continue;
    const items = Array.isArray(child) ? child : [child];
    for (const item of items) {
      const inner = orderViolation(childType, member, item);
      if (inner) return inner;
    }
  }
  return null;
}
