// Password limits, shared by the server's validation and the browser's forms.
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
