/**
 * Values of `next` that have sent a browser to another site from some web application: a second
 * slash hidden by encoding, control characters or backslashes, dot segments, other schemes.
 */
export const OPEN_REDIRECTS = [
  "//evil.example",
  "//evil.example/path",
  "/\\evil.example",
  "\\/evil.example",
  "\\\\evil.example",
  "/%09/evil.example",
  "/\t/evil.example",
  "/%0a/evil.example",
  "/%0d%0a/evil.example",
  "/%2F/evil.example",
  "/%2f%2fevil.example",
  "%2F%2Fevil.example",
  "/%5Cevil.example",
  "/%255Cevil.example",
  "/%25252F/evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "/./%2F/evil.example",
  " //evil.example",
  "\u0000//evil.example",
  "https://evil.example",
  "http:evil.example",
  "https:/\\evil.example",
  "//127.0.0.1:8090@evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "%6Aavascript:alert(1)",
  "java%0Ascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/%E0%A4%A", // not percent-decodable
];
