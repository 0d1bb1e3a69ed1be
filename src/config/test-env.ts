// Settings the test suites read (which PostgreSQL, which browser); with CI=true nothing may be missing.
export interface TestEnv {
  ci: boolean;
  postgresUrl: string | undefined;
  chromiumPath: string;
}

export function testEnv(env: NodeJS.ProcessEnv = process.env): TestEnv {
  return {
    ci: env.CI === 'true' || env.CI === '1',
    postgresUrl: env.CALLTROVE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/calltrove_test',
    chromiumPath: env.CALLTROVE_TEST_CHROMIUM ?? '/usr/bin/chromium',
  };
}
