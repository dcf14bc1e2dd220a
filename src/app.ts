import type { ApplicationFunction } from "probot";
import type { ReviewEngine } from "./github/engine.js";
import { registerHandlers, type RegisterOptions } from "./handlers/index.js";
import { renderThreatModelComment, THREAT_MODEL_MARKER } from "./report/threat-model.js";
import { notRunReview, reviewSnapshot } from "./review/review.js";

export const reviewEngine: ReviewEngine = { reviewSnapshot, notRunReview, renderThreatModelComment, threatModelMarker: THREAT_MODEL_MARKER };

/** The Probot app: every handler wired to the real review engine. */
export function createApp(options: Omit<RegisterOptions, "engine"> & { engine?: ReviewEngine } = {}): ApplicationFunction {
  return (app) => {
    registerHandlers(app, { ...options, engine: options.engine ?? reviewEngine });
    app.log.info("pr-security-review loaded");
  };
}

export default createApp();
