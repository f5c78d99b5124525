// Compiles only if the types generated from api/openapi.yaml are usable the way a
// TypeScript team would use them.
import type { components, operations, paths } from "./zoom-users";

type User = components["schemas"]["User"];
type ListUsersQuery = NonNullable<operations["users"]["parameters"]["query"]>;
type CreateUser = components["schemas"]["CreateUserRequest"];

const user: User = { id: "z8yAAAAA8bbbQ", email: "jill@example.com", type: 2, pmi: 3542471135 };
const query: ListUsersQuery = { status: "active", page_size: 300, next_page_token: "abc" };
const create: CreateUser = { action: "create", user_info: { email: "new@example.com", type: 1 } };
type GetUserPath = paths["/users/{userId}"]["get"]["parameters"]["path"];
const path: GetUserPath = { userId: "me" };

// Settings: an authentication option sent alone, dial-out countries as Zoom sends them,
// and the answer union narrowed by the key only one variant carries.
type SettingsUpdate = operations["userSettingsUpdate"]["requestBody"]["content"]["application/json"];
const optionOnly: SettingsUpdate = { authentication_option: { action: "update", id: "a1", type: "internally" } };
const tsp: components["schemas"]["UserSettingsTSP"] = { call_out: true, call_out_countries: ["USA"] };
type SettingsAnswer = components["schemas"]["UserSettingsResult"];
function meetingAuthOn(answer: SettingsAnswer): boolean | undefined {
  return "meeting_authentication" in answer && typeof answer.meeting_authentication === "boolean"
    ? answer.meeting_authentication
    : undefined;
}
type PictureAnswer = operations["userPicture"]["responses"][201]["content"]["application/json"];
const picture: PictureAnswer = {};

export const checked = [user, query, create, path, optionOnly, tsp, meetingAuthOn, picture];
