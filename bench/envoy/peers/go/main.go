// SPDX-License-Identifier: Apache-2.0
// The Go peer for `pnpm bench:envoy`: the same Firebase-style RS256 check as examples/firebase-jwt,
// written the way a proxy-wasm-go-sdk user would (golang-jwt/jwt/v5 for the JWT, keys from an
// inline JWKS in the plugin configuration), with a small verified-token cache like ours so the
// warm case compares like with like. Built only by the bench:
//   GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o build/peer-go.wasm .
package main

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm"
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm/types"
)

func main() {}

func init() { proxywasm.SetVMContext(&vmContext{}) }

// cacheSize matches jwt_cache_size's default (100) in Envoy's jwt_authn and in ours.
const cacheSize = 100

type vmContext struct{ types.DefaultVMContext }

type config struct {
	Issuer   string `json:"issuer"`
	Audience string `json:"audience"`
	Jwks     struct {
		Keys []struct {
			Kid string `json:"kid"`
			Kty string `json:"kty"`
			N   string `json:"n"`
			E   string `json:"e"`
		} `json:"keys"`
	} `json:"jwks"`
}

type cached struct {
	sub, provider string
	exp           time.Time
}

type pluginContext struct {
	types.DefaultPluginContext
	keys   map[string]*rsa.PublicKey
	parser *jwt.Parser
	cache  map[string]cached
}

func (*vmContext) NewPluginContext(uint32) types.PluginContext { return &pluginContext{} }

func (p *pluginContext) OnPluginStart(int) types.OnPluginStartStatus {
	data, err := proxywasm.GetPluginConfiguration()
	var c config
	if err == nil {
		err = json.Unmarshal(data, &c)
	}
	if err != nil {
		proxywasm.LogCriticalf("peer-go: bad configuration: %v", err)
		return types.OnPluginStartStatusFailed
	}
	p.keys = map[string]*rsa.PublicKey{}
	for _, k := range c.Jwks.Keys {
		n, errN := base64.RawURLEncoding.DecodeString(k.N)
		e, errE := base64.RawURLEncoding.DecodeString(k.E)
		if k.Kty != "RSA" || errN != nil || errE != nil {
			continue
		}
		p.keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	p.parser = jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(c.Issuer),
		jwt.WithAudience(c.Audience), jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(60*time.Second))
	p.cache = map[string]cached{}
	return types.OnPluginStartStatusOK
}

func (p *pluginContext) NewHttpContext(uint32) types.HttpContext { return &httpContext{plugin: p} }

type httpContext struct {
	types.DefaultHttpContext
	plugin *pluginContext
}

func deny() types.Action {
	proxywasm.SendHttpResponse(401, [][2]string{{"www-authenticate", "Bearer"}}, []byte("unauthorized"), -1)
	return types.ActionPause
}

func (h *httpContext) OnHttpRequestHeaders(int, bool) types.Action {
	auth, err := proxywasm.GetHttpRequestHeader("authorization")
	if err != nil || len(auth) < 7 || !strings.EqualFold(auth[:7], "bearer ") {
		return deny()
	}
	token := auth[7:]
	p := h.plugin
	entry, hit := p.cache[token]
	if !hit || time.Now().After(entry.exp) {
		claims := jwt.MapClaims{}
		parsed, err := p.parser.ParseWithClaims(token, claims, func(t *jwt.Token) (interface{}, error) {
			kid, _ := t.Header["kid"].(string)
			if key, ok := p.keys[kid]; ok {
				return key, nil
			}
			return nil, jwt.ErrTokenUnverifiable
		})
		if err != nil || !parsed.Valid {
			return deny()
		}
		sub, _ := claims["sub"].(string)
		if sub == "" || len(sub) > 128 {
			return deny()
		}
		provider := ""
		if fb, ok := claims["firebase"].(map[string]interface{}); ok {
			provider, _ = fb["sign_in_provider"].(string)
		}
		exp, _ := claims.GetExpirationTime()
		entry = cached{sub: sub, provider: provider, exp: exp.Time}
		if len(p.cache) >= cacheSize {
			for k := range p.cache { // drop one arbitrary entry; enough for a bounded cache
				delete(p.cache, k)
				break
			}
		}
		p.cache[token] = entry
	}
	proxywasm.RemoveHttpRequestHeader("authorization")
	proxywasm.ReplaceHttpRequestHeader("x-firebase-uid", entry.sub)
	if entry.provider != "" {
		proxywasm.ReplaceHttpRequestHeader("x-firebase-sign-in-provider", entry.provider)
	}
	return types.ActionContinue
}
