// A real OpenID Connect provider (npm `oidc-provider`, a certified implementation) for
// the single sign-on journeys (e2e/test_sso_journey.py). Development mode: http on
// 127.0.0.1, its own log-in and consent pages (devInteractions), one client, one account
// whose claims come from the environment:
//   OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI,
//   OIDC_SUB, OIDC_EMAIL, OIDC_EMPLOYEE_NUMBER, OIDC_AMR (comma-separated, may be empty)
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const amr = (process.env.OIDC_AMR || "").split(",").filter(Boolean);

const claims = {
  sub: process.env.OIDC_SUB || "test-subject",
  email: process.env.OIDC_EMAIL || "",
  email_verified: true,
  employee_number: process.env.OIDC_EMPLOYEE_NUMBER || "",
  name: process.env.OIDC_NAME || "",
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: [process.env.OIDC_REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: {
    // amr (how the person authenticated) goes into every ID token: the MFA assertion.
    openid: ["sub", "acr", "amr", "auth_time"],
    sid: null,
    email: ["email", "email_verified"],
    profile: ["name", "employee_number"],
  },
  // Whatever login is typed on the provider's page, it is this one account.
  async findAccount(ctx, id) {
    return { accountId: claims.sub, async claims() { return { ...claims } } };
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["e2e-only-not-a-secret"] },
  pkce: { required: () => false },
});

// The account's authentication methods (amr) as the provider asserts them in the ID token.
const finished = provider.interactionFinished.bind(provider);
provider.interactionFinished = (req, res, result, options) => {
  if (result && result.login) {
    result.login.accountId = claims.sub;
    if (amr.length) result.login.amr = amr;
  }
  return finished(req, res, result, options);
};

provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
