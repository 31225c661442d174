namespace RemateLive.Testing;
