/**
 * Explicit ACL lines for one kiosk, for brokers set up without the `pattern` rules of
 * config/mosquitto/spectra.acl: it may publish only under its own id and read only its own downlink.
 */
export function deviceAclLines(deviceId: string): string[] {
  return [
    `user ${deviceId}`,
    `topic write spectra/v1/kiosks/${deviceId}/up/#`,
    `topic read spectra/v1/kiosks/${deviceId}/down/#`,
  ];
}
