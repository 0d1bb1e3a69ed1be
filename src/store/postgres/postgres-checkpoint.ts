// PostgreSQL's checkpointing role: the server checkpoints on its own, beside the writers, so bulk writes have
// nothing to move off their commits.
export function checkpointInBackground(): () => Promise<void> {
  return async () => undefined;
}
