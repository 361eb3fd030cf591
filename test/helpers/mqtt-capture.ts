import { type IConnectPacket, type IPublishPacket, type Packet, parser } from "mqtt-packet";
import type { CaptureProxy, Flow } from "./tcp-capture.js";

export interface CapturedPublish {
  readonly connection: number;
  readonly flow: Flow;
  readonly topic: string;
  readonly payload: Buffer;
}

/**
 * Decodes one direction of an MQTT connection into its packets with mqtt.js's own parser. The
 * client's side starts with CONNECT, which tells the parser the protocol version; the broker's side
 * needs it given (`protocolVersion`).
 */
export function mqttPackets(bytes: Buffer, protocolVersion?: number): Packet[] {
  const packets: Packet[] = [];
  const decoder = parser(protocolVersion ? { protocolVersion } : {});
  decoder.on("packet", (packet) => packets.push(packet));
  decoder.on("error", (error: Error) => {
    throw new Error(`the capture is not MQTT: ${error.message}`);
  });
  decoder.parse(bytes);
  return packets;
}

const publishesOf = (packets: Packet[]): IPublishPacket[] =>
  packets.filter((packet): packet is IPublishPacket => packet.cmd === "publish");

/** Every PUBLISH that crossed the proxy, either way, on every connection. */
export function capturedPublishes(proxy: CaptureProxy): CapturedPublish[] {
  return proxy.connections.flatMap((connection) => {
    const fromClient = mqttPackets(proxy.stream(connection, "to-target"));
    const connect = fromClient.find((packet): packet is IConnectPacket => packet.cmd === "connect");
    const fromBroker = mqttPackets(proxy.stream(connection, "to-client"), connect?.protocolVersion ?? 4);
    const as = (flow: Flow) => (packet: IPublishPacket) => ({
      connection: connection.id,
      flow,
      topic: packet.topic,
      payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
    });
    return [...publishesOf(fromClient).map(as("to-target")), ...publishesOf(fromBroker).map(as("to-client"))];
  });
}
