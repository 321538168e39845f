// A real OpenID Connect provider for the single sign-on tests (the certified `oidc-provider`
// package, installed from npm by `make oidc`). Usage: node provider.mjs PORT REDIRECT_URI...
// The development login form accepts any login; the accounts below give their claims.
import Provider from "oidc-provider";

const [port, ...redirects] = process.argv.slice(2);
const ACCOUNTS = {
  ann: { email: "ann@acme.example", email_verified: true, name: "Ann Acme", organisation: "acme" },
  sam: { email: "sam@elsewhere.example", email_verified: true, name: "Sam", organisation: "nowhere" },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: "triplehelix",
    client_secret: "test-client-secret",
    redirect_uris: redirects,
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  }],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name"],
    organisation: ["organisation"],
  },
  scopes: ["openid", "email", "profile", "organisation"],
  conformIdTokenClaims: false, // put the claims in the ID token, as SURFconext does
  pkce: { required: () => false },
  cookies: { keys: ["oidc-test-cookie-key"] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, ...(ACCOUNTS[id] ?? {}) }; } };
  },
});
provider.listen(Number(port), () => console.log(`ready ${port}`));
