/**
 * The simulator's TLS certificate and key: self-signed, for 127.0.0.1, ::1 and localhost only, valid to
 * 2126. Not a secret: it guards a simulator on loopback, so that a swiped card's track data crosses
 * even a test machine's loopback only inside TLS, as it crosses the internet to Authorize.Net. Made with
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 \
 *     -subj "/CN=Authorize.Net simulator (loopback only)" \
 *     -addext "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost" -addext "basicConstraints=critical,CA:TRUE"
 */
export const LOOPBACK_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIB6jCCAZCgAwIBAgIUJy8je0jeQjwaBq7amkCYN8AHv4MwCgYIKoZIzj0EAwIw
MjEwMC4GA1UEAwwnQXV0aG9yaXplLk5ldCBzaW11bGF0b3IgKGxvb3BiYWNrIG9u
bHkpMCAXDTI2MTIwMjE3NDYzMloYDzIxMjYxMTA4MTc0NjMyWjAyMTAwLgYDVQQD
DCdBdXRob3JpemUuTmV0IHNpbXVsYXRvciAobG9vcGJhY2sgb25seSkwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAATJHG+0vaiUOanRH+n5A0VXP0Mcr29Uiq3MlpX6
M784CtjuwQdQPCB5TUqeeS6K/4dgkFvifNVpmluUYg4xrbwlo4GBMH8wHQYDVR0O
BBYEFJ59zTbTMW4csbcsQfDRp1gwOjsvMB8GA1UdIwQYMBaAFJ59zTbTMW4csbcs
QfDRp1gwOjsvMCwGA1UdEQQlMCOHBH8AAAGHEAAAAAAAAAAAAAAAAAAAAAGCCWxv
Y2FsaG9zdDAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDfepR3
Ff84chrnimEWuJrkBm1MGiFhiiMleysQSZBLpgIgMPiJA7b3/F493QsNZC90JAXa
soPGY88Wuub1rE74Tpc=
-----END CERTIFICATE-----
`;

export const LOOPBACK_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgwV8xIt6ANQQMAZGm
l37LmcK2l+LFkr4iE0rLTfFvqfahRANCAATJHG+0vaiUOanRH+n5A0VXP0Mcr29U
iq3MlpX6M784CtjuwQdQPCB5TUqeeS6K/4dgkFvifNVpmluUYg4xrbwl
-----END PRIVATE KEY-----
`;
