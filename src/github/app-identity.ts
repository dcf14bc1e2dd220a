import type { Probot } from "probot";

/**
 * Which GitHub App this process is: the app's hidden markers (the threat-model comment, the
 * fingerprints of inline comments) are honoured only on content this app's bot authored, so a
 * person or another bot quoting a marker is never taken for the app.
 */
export interface AppIdentity {
  /** The app's slug; its bot's login is `<slug>[bot]`. */
  slug: string;
}

function normalisedLogin(login: string): string {
  return login.toLowerCase().replace(/\[bot\]$/, "");
}

/**
 * Whether a REST user (`{ login, type }`) or a GraphQL actor (`{ login, __typename }`) is this
 * app's bot. GraphQL gives a bot's login without the `[bot]` suffix.
 */
export function isAppBot(user: { login?: string | null; type?: string | null; __typename?: string | null } | null | undefined, identity: AppIdentity): boolean {
  if (!user?.login) return false;
  const kind = user.type ?? user.__typename;
  return kind === "Bot" && normalisedLogin(user.login) === normalisedLogin(identity.slug);
}

/**
 * The identity from `APP_SLUG` when set, else asked of GitHub once (`GET /app`, as the app) and
 * kept for the life of the process. A failed lookup is not kept: the job fails and is retried.
 */
export function appIdentityResolver(app: Pick<Probot, "auth">, fixed?: AppIdentity): () => Promise<AppIdentity> {
  if (fixed) return () => Promise.resolve(fixed);
  let pending: Promise<AppIdentity> | undefined;
  return () => {
    pending ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data?.slug) throw new Error("GitHub did not name the app");
      return { slug: data.slug };
    })().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
