// A provisioning run of Zoom's own JavaScript SDK (@zoom/rivet, pinned in ../package.json)
// against cmd/zoomtest: each Users call must succeed or fail exactly as Zoom would. Run by
// cmd/zoomtest's TestRivetProvisioning (make test), with the fake's URLs and credentials in
// ZOOM_BASE_URL, ZOOM_TOKEN_URL, ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET.
// Exit status 0 when every check passed; each line of output is one call.
//
// Pointing the SDK at the fake. The API base URL is the SDK's own `baseUrl` option. The
// token URL is a constant in the SDK (OAUTH_BASE_URL "https://zoom.us" + "/oauth/token",
// with no option), so the script fetches the Server-to-Server token from the fake itself,
// exactly as the SDK would (POST, Basic client credentials, grant_type=account_credentials,
// account_id), and hands it over through the SDK's own `tokenStore` option: the SDK uses a
// stored token until a minute before it expires and never calls its fixed URL. Nothing in
// the SDK is patched and no request can reach zoom.us.
import { UsersS2SAuthClient } from "@zoom/rivet/users";

// Bugs of @zoom/rivet 0.4.0 found by reading its source (node_modules/@zoom/rivet/users/
// users.mjs). The calls they break are skipped out loud below, never silently.
const SDK_BUGS = {
  "RIVET-TOKEN-URL-FIXED":
    "Auth.makeOAuthTokenRequest posts to the constant OAUTH_BASE_URL (https://zoom.us); no option moves it, so regional or test token endpoints need a tokenStore (used here).",
  "RIVET-ERROR-MESSAGE-DROPPED":
    "WebEndpoints.isZoomResponseError needs both `code` and `message`; an error body with `error_message` (which some Zoom endpoints send) is reported as 'Request was unsuccessful with no further context', its code lost.",
  "RIVET-BIGINT-ROUNDED":
    "answers are parsed by axios with JSON.parse, so license_option and zoom_one_type above 2^53 (Zoom's reach 2^59) come back rounded.",
  "RIVET-PATH-UNESCAPED":
    "urlPathBuilder interpolates userId and other IDs into the path unescaped (`/users/${userId}`): an ID holding '/', '?' or '#', or '..', reaches another endpoint.",
  "RIVET-UPLOAD-TYPES":
    "users.d.ts declares pic_file as a string, but the body goes through the form-data package, which needs a Buffer or a stream: a string is sent as a text field and a File or Blob throws 'source.on is not a function'. The script passes a Buffer.",
  "RIVET-NULL-ERROR-BODY":
    "isZoomResponseError reads obj.code on response.data without a null check: an error answer whose body is JSON null throws a TypeError instead of ApiResponseError.",
};

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const baseUrl = env("ZOOM_BASE_URL");
const tokenUrl = env("ZOOM_TOKEN_URL");
const accountId = env("ZOOM_ACCOUNT_ID");
const clientId = env("ZOOM_CLIENT_ID");
const clientSecret = env("ZOOM_CLIENT_SECRET");

async function fetchToken() {
  const res = await fetch(tokenUrl, {
    method: "POST",
    headers: {
      Authorization: "Basic " + Buffer.from(`${clientId}:${clientSecret}`).toString("base64"),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "account_credentials", account_id: accountId }),
  });
  if (!res.ok) throw new Error(`token: HTTP ${res.status}: ${await res.text()}`);
  const t = await res.json();
  return {
    accessToken: t.access_token,
    expirationTimeIso: new Date(Date.now() + t.expires_in * 1000).toISOString(),
    scopes: t.scope.split(" "),
  };
}

// The SDK's TokenStore interface: getLatestToken and storeToken.
const token = await fetchToken();
const tokenStore = { getLatestToken: () => token, storeToken: () => {} };
const client = new UsersS2SAuthClient({ clientId, clientSecret, accountId, tokenStore, baseUrl, disableReceiver: true });
const users = client.endpoints.users;

let failed = 0;
let passed = 0;
const say = (line) => process.stdout.write(line + "\n");

// ok runs a call that Zoom answers with success and returns its data.
async function ok(name, call, check) {
  try {
    const res = await call();
    if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`status ${res.statusCode}`);
    if (check) {
      const why = check(res.data);
      if (why) throw new Error(why);
    }
    passed++;
    say(`ok    ${name}: ${res.statusCode}`);
    return res.data;
  } catch (err) {
    failed++;
    say(`FAIL  ${name}: ${err.message}`);
    return undefined;
  }
}

// refused runs a call that Zoom refuses with this HTTP status and Zoom code. The SDK's
// ApiResponseError message is "[<status>/<code>]: \"<message>\"".
async function refused(name, status, code, call) {
  try {
    const res = await call();
    failed++;
    say(`FAIL  ${name}: succeeded (${res.statusCode}), want ${status}/${code}`);
  } catch (err) {
    const m = /^\[(\d+)\/(-?\d+)\]/.exec(err.message ?? "");
    if (m && Number(m[1]) === status && Number(m[2]) === code) {
      passed++;
      say(`ok    ${name}: refused ${status}/${code}`);
    } else {
      failed++;
      say(`FAIL  ${name}: ${err.message}, want ${status}/${code}`);
    }
  }
}

function skip(name, bug) {
  if (!SDK_BUGS[bug]) throw new Error(`unknown SDK bug ${bug}`);
  say(`SKIP  ${name}: SDK bug ${bug}: ${SDK_BUGS[bug]}`);
}

const stamp = Date.now().toString(36);
const activeEmail = `rivet-active-${stamp}@example.com`;
const pendingEmail = `rivet-pending-${stamp}@example.com`;
const assistantEmail = `rivet-assistant-${stamp}@example.com`;

// Create: custCreate users are active at once; create sends an invitation (pending).
const created = await ok("createUsers custCreate", () =>
  users.createUsers({ body: { action: "custCreate", user_info: { email: activeEmail, type: 2, first_name: "Ada", last_name: "Rivet" } } }),
  (d) => (d.email === activeEmail && d.id ? "" : `answer ${JSON.stringify(d)}`));
const userId = created?.id ?? activeEmail;
await ok("createUsers custCreate (assistant)", () =>
  users.createUsers({ body: { action: "custCreate", user_info: { email: assistantEmail, type: 2 } } }));
await ok("createUsers create (invitation)", () =>
  users.createUsers({ body: { action: "create", user_info: { email: pendingEmail, type: 1, first_name: "Pat" } } }));
await refused("createUsers with a used email", 409, 1005, () =>
  users.createUsers({ body: { action: "custCreate", user_info: { email: activeEmail, type: 1 } } }));
await ok("checkUserEmail", () => users.checkUserEmail({ query: { email: activeEmail } }),
  (d) => (d.existed_email === true ? "" : `existed_email ${d.existed_email}`));

// Get and update.
await ok("getUser", () => users.getUser({ path: { userId } }), (d) => (d.first_name === "Ada" ? "" : `first_name ${d.first_name}`));
await ok("updateUser", () => users.updateUser({ path: { userId }, body: { job_title: "Engineer", first_name: "Ada L." } }));
await ok("getUser after update", () => users.getUser({ path: { userId } }),
  (d) => (d.job_title === "Engineer" && d.first_name === "Ada L." ? "" : `not applied: ${d.first_name}, ${d.job_title}`));
await refused("getUser of nobody", 404, 1001, () => users.getUser({ path: { userId: `nobody-${stamp}@example.com` } }));
skip("getUser with an ID holding '?'", "RIVET-PATH-UNESCAPED");
skip("getUser of a user whose zoom_one_type is above 2^53", "RIVET-BIGINT-ROUNDED");

// A pending user (live invitation): Zoom answers success and changes nothing (SailPoint's
// connector documentation; ZOOM_FACTS.md "Behaviour seen in the field").
await ok("updateUser of a pending user", () => users.updateUser({ path: { userId: pendingEmail }, body: { first_name: "Changed" } }));
await ok("getUser of a pending user", () => users.getUser({ path: { userId: pendingEmail } }),
  (d) => (d.first_name === "Pat" && d.status === "pending" ? "" : `changed: ${d.first_name}, ${d.status}`));
await ok("updateUserStatus of a pending user", () => users.updateUserStatus({ path: { userId: pendingEmail }, body: { action: "deactivate" } }));

// Settings: the full settings, the three option variants and custom_query_fields.
await ok("getUserSettings", () => users.getUserSettings({ path: { userId } }),
  (d) => (d.schedule_meeting && d.in_meeting ? "" : "no schedule_meeting or in_meeting"));
for (const option of ["meeting_authentication", "recording_authentication", "meeting_security"]) {
  await ok(`getUserSettings option=${option}`, () => users.getUserSettings({ path: { userId }, query: { option } }),
    (d) => (option in d ? "" : `no ${option} in ${JSON.stringify(d)}`));
}
await ok("getUserSettings custom_query_fields", () => users.getUserSettings({ path: { userId }, query: { custom_query_fields: "host_video" } }),
  (d) => (d.schedule_meeting?.host_video !== undefined ? "" : JSON.stringify(d)));
await ok("updateUserSettings", () => users.updateUserSettings({ path: { userId }, body: { schedule_meeting: { host_video: true } } }));
await ok("getUserSettings after update", () => users.getUserSettings({ path: { userId } }),
  (d) => (d.schedule_meeting?.host_video === true ? "" : `host_video ${d.schedule_meeting?.host_video}`));
await ok("updateUserSettings option=meeting_security", () =>
  users.updateUserSettings({ path: { userId }, query: { option: "meeting_security" }, body: { meeting_security: { waiting_room: false } } }));
await ok("getUserSettings option=meeting_security after update", () => users.getUserSettings({ path: { userId }, query: { option: "meeting_security" } }),
  (d) => (d.meeting_security?.waiting_room === false ? "" : JSON.stringify(d)));
await ok("updateUserSettings option=meeting_authentication", () =>
  users.updateUserSettings({ path: { userId }, query: { option: "meeting_authentication" }, body: { meeting_authentication: true } }));
await ok("updateUserSettings of a pending user", () =>
  users.updateUserSettings({ path: { userId: pendingEmail }, body: { schedule_meeting: { host_video: true } } }));
await ok("getUserSettings of a pending user", () => users.getUserSettings({ path: { userId: pendingEmail } }),
  (d) => (d.schedule_meeting?.host_video === true ? "applied" : ""));

// Status changes.
await ok("updateUserStatus deactivate", () => users.updateUserStatus({ path: { userId }, body: { action: "deactivate" } }));
await ok("getUser inactive", () => users.getUser({ path: { userId } }), (d) => (d.status === "inactive" ? "" : d.status));
await ok("updateUserStatus activate", () => users.updateUserStatus({ path: { userId }, body: { action: "activate" } }));
await refused("updateUserStatus deactivate the owner", 400, 200, () =>
  users.updateUserStatus({ path: { userId: "owner@example.com" }, body: { action: "deactivate" } }));

// Assistants and schedulers.
await ok("addAssistants", () => users.addAssistants({ path: { userId }, body: { assistants: [{ email: assistantEmail }] } }));
const assistants = await ok("listUserAssistants", () => users.listUserAssistants({ path: { userId } }),
  (d) => (d.assistants?.some((a) => a.email === assistantEmail) ? "" : JSON.stringify(d)));
await refused("addAssistants yourself", 400, 200, () => users.addAssistants({ path: { userId }, body: { assistants: [{ email: activeEmail }] } }));
await ok("listUserSchedulers", () => users.listUserSchedulers({ path: { userId: assistantEmail } }),
  (d) => (d.schedulers?.some((s) => s.email === activeEmail) ? "" : JSON.stringify(d)));
const assistantId = assistants?.assistants?.find((a) => a.email === assistantEmail)?.id;
await ok("deleteUserAssistant", () => users.deleteUserAssistant({ path: { userId, assistantId } }));
await ok("addAssistants again", () => users.addAssistants({ path: { userId }, body: { assistants: [{ email: assistantEmail }] } }));
await ok("deleteScheduler", () => users.deleteScheduler({ path: { userId: assistantEmail, schedulerId: userId } }));
await ok("addAssistants a third time", () => users.addAssistants({ path: { userId }, body: { assistants: [{ email: assistantEmail }] } }));
await ok("deleteUserSchedulers", () => users.deleteUserSchedulers({ path: { userId: assistantEmail } }));
await ok("deleteUserAssistants", () => users.deleteUserAssistants({ path: { userId } }));
await ok("listUserAssistants empty", () => users.listUserAssistants({ path: { userId } }),
  (d) => ((d.assistants ?? []).length === 0 ? "" : JSON.stringify(d)));

// Presence.
await ok("getUserPresenceStatus", () => users.getUserPresenceStatus({ path: { userId } }), (d) => (d.status ? "" : JSON.stringify(d)));
await ok("updateUsersPresenceStatus", () => users.updateUsersPresenceStatus({ path: { userId }, body: { status: "Away" } }));
await ok("getUserPresenceStatus after update", () => users.getUserPresenceStatus({ path: { userId } }), (d) => (d.status === "Away" ? "" : d.status));
await refused("updateUsersPresenceStatus again within a minute", 429, 429, () =>
  users.updateUsersPresenceStatus({ path: { userId }, body: { status: "Available" } }));

// Picture: a 1x1 PNG, as a Buffer (SDK bug RIVET-UPLOAD-TYPES: not the declared string).
say(`note  uploadUsersProfilePicture: SDK bug RIVET-UPLOAD-TYPES: ${SDK_BUGS["RIVET-UPLOAD-TYPES"]}`);
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
await ok("uploadUsersProfilePicture", () =>
  users.uploadUsersProfilePicture({ path: { userId }, body: { pic_file: png } }));
await refused("uploadUsersProfilePicture of text", 400, 120, () =>
  users.uploadUsersProfilePicture({ path: { userId }, body: { pic_file: Buffer.from("not a picture") } }));
await ok("deleteUsersProfilePicture", () => users.deleteUsersProfilePicture({ path: { userId } }));

// Tokens.
await ok("getUsersToken zak", () => users.getUsersToken({ path: { userId }, query: { type: "zak" } }), (d) => (d.token ? "" : JSON.stringify(d)));
await ok("getUsersToken token", () => users.getUsersToken({ path: { userId } }), (d) => (d.token ? "" : JSON.stringify(d)));
// An On-Behalf-Of token needs a user-level OAuth token: a Server-to-Server token is refused
// (Zoom's code undocumented; the fake's pick is 4711, see zoomtest's tokens.go).
await refused("getUsersToken onbehalf under Server-to-Server", 400, 4711, () =>
  users.getUsersToken({ path: { userId: "me" }, query: { type: "onbehalf", meeting_id: "81234567890" } }));
skip("an error answer carrying error_message", "RIVET-ERROR-MESSAGE-DROPPED");
skip("an error answer whose body is null", "RIVET-NULL-ERROR-BODY");
skip("fetching the token from the SDK's own token URL", "RIVET-TOKEN-URL-FIXED");

// Delete: disassociate, then the user is gone.
await ok("deleteUser", () => users.deleteUser({ path: { userId }, query: { action: "disassociate" } }));
await refused("getUser after delete", 404, 1001, () => users.getUser({ path: { userId } }));
await ok("deleteUser of a pending user", () => users.deleteUser({ path: { userId: pendingEmail }, query: { action: "disassociate" } }));

say(`${passed} passed, ${failed} failed, ${Object.keys(SDK_BUGS).length} SDK bugs skipped`);
process.exit(failed === 0 ? 0 : 1);
