// The UI's tests use the client package's fixtures (one copy of the wire examples).
export * from '../../../../../clients/typescript/test/fixtures';
