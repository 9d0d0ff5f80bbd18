const minimumPasswordLength = 8;
const maximumPasswordBytes = 72; // bcrypt ignores everything after 72 bytes

/** What is wrong with a new password, or undefined when it will do (signup and password change). */
export function passwordProblem(password: string): string | undefined {
  if (password.length < minimumPasswordLength) return `The password needs at least ${minimumPasswordLength} characters.`;
  if (Buffer.byteLength(password) > maximumPasswordBytes) return `The password can have at most ${maximumPasswordBytes} characters.`;
  return undefined;
}
