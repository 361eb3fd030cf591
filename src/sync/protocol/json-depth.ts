/**
 * The deepest nesting of arrays and objects a protocol message may have, the envelope included.
 * The deepest honest message is a command result carrying the kiosk's configuration (about 10
 * levels); zod's JSON schema and JSON.stringify recurse once per level, so a message nested
 * thousands deep would blow the stack. 32 leaves room and stays far from any stack limit.
 */
export const MAX_JSON_DEPTH = 32;
