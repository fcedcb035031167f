// The queue figure of `npm run bench -- pipeline`: written once the worker exists.
export async function queueSpeedup(_options: {
  cli: string;
  scratch: string;
  env: NodeJS.ProcessEnv;
}): Promise<void> {}
