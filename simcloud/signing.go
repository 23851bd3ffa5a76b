package simcloud

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"sync"
	"time"
)

// signingKey is the key id tokens are signed with (RS256, as Entra's are),
// published at jwks_uri. Entra's signing keys are shared by every tenant, so
// one key per process serves every simulated cloud; it is made on first use
// because a 2048-bit RSA key costs a noticeable moment and most runs never
// issue a token.
type signingKey struct {
	key *rsa.PrivateKey
	der []byte // a self-signed certificate of the key, for x5c
	kid string // the certificate's SHA-1 thumbprint, as Entra's kid and x5t are
}

var tokenKey = sync.OnceValues(newSigningKey)

func newSigningKey() (*signingKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "apppass simulated Entra token signing"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	thumb := sha1.Sum(der) // x5t is defined as the SHA-1 thumbprint (RFC 7517)
	return &signingKey{key: key, der: der, kid: base64.RawURLEncoding.EncodeToString(thumb[:])}, nil
}

// jwk is one key of a JSON Web Key Set, with the fields Entra publishes.
type jwk struct {
	Kty               string   `json:"kty"`
	Use               string   `json:"use"`
	Kid               string   `json:"kid"`
	X5t               string   `json:"x5t"`
	N                 string   `json:"n"`
	E                 string   `json:"e"`
	X5c               []string `json:"x5c"`
	CloudInstanceName string   `json:"cloud_instance_name"`
	Issuer            string   `json:"issuer"`
}

func (k *signingKey) jwk(issuer string) jwk {
	pub := k.key.PublicKey
	return jwk{
		Kty: "RSA", Use: "sig", Kid: k.kid, X5t: k.kid,
		N:                 base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E:                 base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		X5c:               []string{base64.StdEncoding.EncodeToString(k.der)},
		CloudInstanceName: cloudInstanceName,
		Issuer:            issuer,
	}
}

// sign encodes claims as a JWT signed with RS256.
func (k *signingKey) sign(claims map[string]any) (string, error) {
	header, err := json.Marshal(map[string]string{"typ": "JWT", "alg": "RS256", "kid": k.kid})
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signed := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(body)
	digest := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.key, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}
