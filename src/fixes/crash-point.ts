// Fault injection for the crash-safety lab tests: SSH_DOCTOR_TEST_CRASH_AT=NAME makes ssh-doctor
// SIGKILL itself at the step of that name, the way a power cut or an OOM kill would stop it.
// Nothing else sets or reads this variable.
export function crashPoint(name: string): void {
  if (process.env.SSH_DOCTOR_TEST_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
