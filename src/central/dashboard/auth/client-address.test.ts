import { describe, expect, it } from "vitest";
import { addressKey, clientAddress, normalizeAddress } from "./client-address.js";

describe("the client address sign-ins are counted by", () => {
  it("is the connection's address, whatever X-Forwarded-For says, unless the connection is a trusted proxy", () => {
    expect(clientAddress("203.0.113.9", "198.51.100.1", [])).toBe("203.0.113.9");
    expect(clientAddress("203.0.113.9", "198.51.100.1", ["127.0.0.1"])).toBe("203.0.113.9");
    expect(clientAddress("::ffff:127.0.0.1", undefined, ["127.0.0.1"])).toBe("127.0.0.1");
  });

  it("behind a trusted proxy, is the rightmost address the proxies did not add themselves", () => {
    const proxies = ["127.0.0.1", "10.0.0.2"];
    // The client wrote a forged first entry; nginx appended the address it really saw.
    expect(clientAddress("127.0.0.1", "1.1.1.1, 198.51.100.7", proxies)).toBe("198.51.100.7");
    expect(clientAddress("127.0.0.1", "1.1.1.1, 198.51.100.7, 10.0.0.2", proxies)).toBe("198.51.100.7");
    expect(clientAddress("127.0.0.1", ["1.1.1.1", "198.51.100.8"], proxies)).toBe("198.51.100.8");
    // Garbage where an address belongs: counted as the proxy, never as a name the sender chose.
    expect(clientAddress("127.0.0.1", "1.1.1.1, not-an-address", proxies)).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", "", proxies)).toBe("127.0.0.1");
  });

  it("spells an address one way, and counts IPv6 by its /64", () => {
    expect(normalizeAddress("[2001:DB8::1]")).toBe("2001:db8:0:0:0:0:0:1");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80:0:0:0:0:0:0:1");
    expect(normalizeAddress("::ffff:192.0.2.5")).toBe("192.0.2.5");
    expect(normalizeAddress("evil")).toBeNull();
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:0db8:0001:0002::/64");
    expect(addressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe(addressKey("2001:db8:1:2::9"));
    expect(addressKey("2001:db8:1:3::9")).not.toBe(addressKey("2001:db8:1:2::9"));
    expect(addressKey("::1")).toBe("0000:0000:0000:0000::/64");
    expect(addressKey("192.0.2.5")).toBe("192.0.2.5");
    expect(addressKey("nonsense")).toBe("unknown");
  });
});
