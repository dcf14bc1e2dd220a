import nock from "nock";
import { afterEach, beforeAll } from "vitest";

// No test reaches a real network: GitHub is never reachable, and local servers opt in explicitly.
beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});
