"use server";

/**
 * The account page's Server Actions: the same inputs (src/lib/schemas/account.ts) and
 * services as the JSON routes under /api/account, which stay for API clients. Sessions
 * are handled as the routes handle them: a password change renews this browser's cookie
 * (the other sessions end), signing out everywhere and deleting the account clear it.
 */
import { validatedAction } from "@/lib/http/action";
import { clearActionSessionCookies, renewedSessionCookie, setActionSessionCookie } from "@/lib/auth/current-user";
import { changeEmailInput, changePasswordInput, deleteAccountForm, signOutEverywhereForm, updateAccountInput } from "@/lib/schemas/account";
import { changePassword as changeUserPassword, updateAccount } from "@/services/accounts/settings";
import { deleteAccount as deleteUserAccount } from "@/services/accounts/deletion";
import { requestEmailChange } from "@/services/accounts/email-change";
import { bumpSessionVersion } from "@/services/accounts/sessions";
import { requireActiveUser } from "@/services/accounts/users";

export const saveName = validatedAction(
  updateAccountInput,
  async (input, { user }) => {
    await updateAccount(user.uuid, input);
  },
  { name: "saveName" },
);

/** Asks the current password; every other session ends, this one goes on with a renewed cookie. */
export const changePassword = validatedAction(
  changePasswordInput,
  async (input, { user }) => {
    const { sessionVersion } = await changeUserPassword({ userUuid: user.uuid, ...input });
    await setActionSessionCookie(await renewedSessionCookie(sessionVersion));
  },
  { name: "changePassword" },
);

/** Mails a confirmation link to the new address; nothing changes until it is used. */
export const changeEmail = validatedAction(
  changeEmailInput,
  async (input, { user }) => {
    await requestEmailChange({ userUuid: user.uuid, ...input });
  },
  { name: "changeEmail" },
);

/** Ends every session of the user, this one included, and lands on the home page signed out. */
export const signOutEverywhere = validatedAction(
  signOutEverywhereForm,
  async (input, { user }) => {
    await requireActiveUser(user.uuid); // 401 for an account deleted or disabled on another instance
    await bumpSessionVersion(user.uuid);
    await clearActionSessionCookies();
    return { redirectTo: `/${input.locale ?? "en"}` };
  },
  { name: "signOutEverywhere" },
);

/** Deletes the account (password or the typed email as confirmation), then signed out to the home page. */
export const deleteAccount = validatedAction(
  deleteAccountForm,
  async ({ locale, ...input }, { user }) => {
    await deleteUserAccount({ userUuid: user.uuid, ...input });
    await clearActionSessionCookies();
    return { redirectTo: `/${locale ?? "en"}` };
  },
  { name: "deleteAccount" },
);
