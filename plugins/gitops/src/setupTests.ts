import '@testing-library/jest-dom';

// Component tests of whole pages, with a poll in the sync flow: slower than
// Jest's 5 s on two busy cores.
jest.setTimeout(30_000);
