/**
 * The test environment, read in one place (as the product reads its own only in AppConfig): what the
 * global setup prepared, and the switches CI sets to turn a missing Redis or browser into a failure.
 */
const read = (name: string): string | undefined => process.env[name];

function required(name: string): string {
  const v = read(name);
  if (!v) throw new Error(`${name} is not set: run the tests through jest (its globalSetup prepares the database)`);
  return v;
}

export const testConfig = {
  pgClusterUrl: () => required('TEST_PG_CLUSTER_URL'),
  templateDatabase: () => required('TEST_TEMPLATE_DB'),
  demoPassword: () => required('TEST_DEMO_PASSWORD'),
  /** the Redis the global setup found or started, if any */
  redisUrl: (): string | undefined => read('TEST_REDIS_URL'),
  requireRedis: (): boolean => Boolean(read('REQUIRE_REDIS')),
  /** MODEL_TRACE: the model-based tests print the actions they took */
  modelTrace: (): boolean => Boolean(read('MODEL_TRACE')),
  requireBrowser: (): boolean => Boolean(read('REQUIRE_BROWSER')),
  chromiumPath: (): string => read('CHROMIUM_PATH') ?? '/usr/bin/chromium',
  /** where every test app appends the responses it sends, for the whole run's personal-data scan (global teardown) */
  responseAuditDir: (): string | undefined => read('TEST_RESPONSE_AUDIT_DIR'),
};
