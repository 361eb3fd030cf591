import { pbkdf2Sync, randomBytes } from "node:crypto";

/**
 * A Mosquitto 2 password-file line (`user:$7$iterations$salt$hash`, PBKDF2-SHA512), the format
 * `mosquitto_passwd` writes, so a device's account can be provisioned without the broker's tools.
 */
export function mosquittoPasswordLine(username: string, password: string, iterations = 101): string {
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(password, salt, iterations, 64, "sha512");
  return `${username}:$7$${iterations}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/** A random broker password: 24 bytes, URL-safe base64. */
export function newBrokerPassword(): string {
  return randomBytes(24).toString("base64url");
}
