import { describe, expect, it } from "vitest";
import { crossSiteRefusal, type RequestOrigin } from "./same-origin";

const base: RequestOrigin = { method: "POST", secFetchSite: null, origin: null, host: "shop.example:3000", appUrl: "https://dash.example" };

describe("cross-site refusal", () => {
  it("lets reads through whoever asks", () => {
    expect(crossSiteRefusal({ ...base, method: "GET", secFetchSite: "cross-site", origin: "https://evil.example" })).toBeNull();
  });

  it("refuses a state change that a browser says came from another site", () => {
    expect(crossSiteRefusal({ ...base, secFetchSite: "cross-site" })).toBe("Sec-Fetch-Site is cross-site");
    expect(crossSiteRefusal({ ...base, secFetchSite: "same-site" })).toBe("Sec-Fetch-Site is same-site");
    expect(crossSiteRefusal({ ...base, method: "delete", origin: "https://evil.example" })).toBe("the request comes from https://evil.example");
    expect(crossSiteRefusal({ ...base, origin: "null" })).toBe("the Origin is opaque");
    expect(crossSiteRefusal({ ...base, origin: "not a url" })).toBe("the Origin header is not an address");
    // The header a browser sends wins over an Origin that looks right.
    expect(crossSiteRefusal({ ...base, secFetchSite: "cross-site", origin: "http://shop.example:3000" })).toBe("Sec-Fetch-Site is cross-site");
  });

  it("lets the dashboard's own pages and clients without a browser through", () => {
    expect(crossSiteRefusal({ ...base, secFetchSite: "same-origin" })).toBeNull();
    expect(crossSiteRefusal({ ...base, origin: "http://shop.example:3000" })).toBeNull();
    expect(crossSiteRefusal({ ...base, origin: "https://dash.example" })).toBeNull();
    expect(crossSiteRefusal(base)).toBeNull();
  });
});
