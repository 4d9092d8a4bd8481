// SPDX-License-Identifier: Apache-2.0
// The Rust peer for `pnpm bench:envoy`: the same Firebase-style RS256 check as examples/firebase-jwt,
// written the way a proxy-wasm-rust-sdk user would (the jsonwebtoken crate with its pure-Rust
// backend, keys from an inline JWKS in the plugin configuration), with a small verified-token cache
// like ours so the warm case compares like with like. Built only by the bench:
//   cargo build --release --target wasm32-wasip1
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::UNIX_EPOCH;

use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};
use serde::Deserialize;

/// Matches jwt_cache_size's default (100) in Envoy's jwt_authn and in ours.
const CACHE_SIZE: usize = 100;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Warn);
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(Root { state: Rc::new(RefCell::new(State::default())) }) });
}}

#[derive(Deserialize)]
struct Jwk {
    kid: String,
    kty: String,
    n: String,
    e: String,
}

#[derive(Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct Config {
    issuer: String,
    audience: String,
    jwks: Jwks,
}

#[derive(Deserialize)]
struct Firebase {
    sign_in_provider: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    exp: u64,
    #[allow(dead_code)]
    iat: u64,
    firebase: Option<Firebase>,
}

struct Cached {
    sub: String,
    provider: Option<String>,
    exp: u64,
}

#[derive(Default)]
struct State {
    keys: HashMap<String, DecodingKey>,
    validation: Option<Validation>,
    cache: HashMap<String, Cached>,
}

struct Root {
    state: Rc<RefCell<State>>,
}

impl Context for Root {}

impl RootContext for Root {
    fn on_configure(&mut self, _size: usize) -> bool {
        let Some(bytes) = self.get_plugin_configuration() else { return false };
        let Ok(config) = serde_json::from_slice::<Config>(&bytes) else {
            proxy_wasm::hostcalls::log(LogLevel::Critical, "peer-rust: bad configuration").ok();
            return false;
        };
        let mut state = self.state.borrow_mut();
        for k in config.jwks.keys.iter().filter(|k| k.kty == "RSA") {
            if let Ok(key) = DecodingKey::from_rsa_components(&k.n, &k.e) {
                state.keys.insert(k.kid.clone(), key);
            }
        }
        let mut v = Validation::new(Algorithm::RS256);
        v.set_issuer(&[config.issuer]);
        v.set_audience(&[config.audience]);
        v.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        v.leeway = 60;
        state.validation = Some(v);
        true
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(Filter { state: self.state.clone() }))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct Filter {
    state: Rc<RefCell<State>>,
}

impl Context for Filter {}

impl Filter {
    fn deny(&self) -> Action {
        self.send_http_response(401, vec![("www-authenticate", "Bearer")], Some(b"unauthorized"));
        Action::Pause
    }

    fn verify(&self, token: &str) -> Option<Cached> {
        let state = self.state.borrow();
        let kid = decode_header(token).ok()?.kid?;
        let key = state.keys.get(&kid)?;
        let data = decode::<Claims>(token, key, state.validation.as_ref()?).ok()?;
        let c = data.claims;
        if c.sub.is_empty() || c.sub.len() > 128 {
            return None;
        }
        Some(Cached { sub: c.sub, provider: c.firebase.and_then(|f| f.sign_in_provider), exp: c.exp })
    }
}

impl HttpContext for Filter {
    fn on_http_request_headers(&mut self, _headers: usize, _end_of_stream: bool) -> Action {
        let Some(auth) = self.get_http_request_header("authorization") else { return self.deny() };
        if auth.len() < 7 || !auth[..7].eq_ignore_ascii_case("bearer ") {
            return self.deny();
        }
        let token = &auth[7..];
        let now = self.get_current_time().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let hit = self.state.borrow().cache.get(token).filter(|c| c.exp > now).map(|c| (c.sub.clone(), c.provider.clone()));
        let (sub, provider) = match hit {
            Some(found) => found,
            None => {
                let Some(entry) = self.verify(token) else { return self.deny() };
                let found = (entry.sub.clone(), entry.provider.clone());
                let mut state = self.state.borrow_mut();
                if state.cache.len() >= CACHE_SIZE {
                    let victim = state.cache.keys().next().cloned();
                    if let Some(k) = victim {
                        state.cache.remove(&k); // one arbitrary entry: enough for a bounded cache
                    }
                }
                state.cache.insert(token.to_string(), entry);
                found
            }
        };
        self.set_http_request_header("authorization", None);
        self.set_http_request_header("x-firebase-uid", Some(&sub));
        if let Some(p) = provider {
            self.set_http_request_header("x-firebase-sign-in-provider", Some(&p));
        }
        Action::Continue
    }
}
