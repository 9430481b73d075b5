// Most tests here start real processes (git, helm, the test cluster, whole
// backends); on two busy cores Jest's default of 5 s per test is too short.
// Files that need more still say so themselves.
jest.setTimeout(60_000);

export {};
