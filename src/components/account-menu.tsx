// Placeholder until accounts land: the header's slot for sign-in links or the account menu.
export async function AccountMenu() {
  return null;
}
