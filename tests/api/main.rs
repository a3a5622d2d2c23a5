//! API tests: real HTTP against a real server on a private PostgreSQL database per test.

mod health;
