package diagnose

import "fmt"

// CodeInfo explains one Entra sign-in error code (M365-FACTS.md section 4).
type CodeInfo struct {
	Code    int
	Meaning string
	// PasswordRight is true when the code proves the password was correct.
	PasswordRight bool
	// Kind groups codes the rules treat alike.
	Kind CodeKind
}

// CodeKind is what a sign-in error code means for the diagnosis.
type CodeKind string

// Kinds of sign-in error codes.
const (
	KindMFARequired      CodeKind = "mfa-required"
	KindMFARegister      CodeKind = "mfa-register"
	KindMFANotCompleted  CodeKind = "mfa-not-completed"
	KindCABlocked        CodeKind = "ca-blocked"
	KindSecurityDefaults CodeKind = "security-defaults"
	KindWrongPassword    CodeKind = "wrong-password"
	KindLocked           CodeKind = "locked"
	KindDisabled         CodeKind = "disabled"
	KindPasswordExpired  CodeKind = "password-expired"
	KindNoSuchUser       CodeKind = "no-such-user"
	KindRevoked          CodeKind = "revoked"
	KindConsent          CodeKind = "consent"
	KindNotAssigned      CodeKind = "not-assigned"
	KindDevice           CodeKind = "device"
	KindExternal         CodeKind = "external-challenge"
	KindUnknown          CodeKind = "unknown"
)

var codeTable = map[int]CodeInfo{
	50076:  {Meaning: "MFA is required; the password was correct", PasswordRight: true, Kind: KindMFARequired},
	50079:  {Meaning: "the account must register for MFA first; the password was correct", PasswordRight: true, Kind: KindMFARegister},
	50072:  {Meaning: "the account must register for MFA first; the password was correct", PasswordRight: true, Kind: KindMFARegister},
	50074:  {Meaning: "the MFA challenge was not completed", PasswordRight: true, Kind: KindMFANotCompleted},
	500121: {Meaning: "the MFA challenge was not completed", PasswordRight: true, Kind: KindMFANotCompleted},
	53003:  {Meaning: "blocked by a Conditional Access policy; the password was correct", PasswordRight: true, Kind: KindCABlocked},
	530035: {Meaning: "blocked by security defaults", Kind: KindSecurityDefaults},
	50158:  {Meaning: "an external security challenge (for example a third-party MFA provider or an external identity provider) was not satisfied", Kind: KindExternal},
	50126:  {Meaning: "wrong user name or password, or an app password sent to a modern (OAuth) sign-in", Kind: KindWrongPassword},
	50053:  {Meaning: "the account is locked (smart lockout or a malicious IP): stop trying", Kind: KindLocked},
	50057:  {Meaning: "the account is disabled", Kind: KindDisabled},
	50055:  {Meaning: "the password has expired", Kind: KindPasswordExpired},
	50144:  {Meaning: "the Active Directory password has expired", Kind: KindPasswordExpired},
	50034:  {Meaning: "no such user in this tenant", Kind: KindNoSuchUser},
	50173:  {Meaning: "the refresh token was revoked (after a forced sign-out)", Kind: KindRevoked},
	65001:  {Meaning: "consent is missing for the app", Kind: KindConsent},
	65002:  {Meaning: "a Microsoft first-party app asked for a token for another Microsoft first-party resource it is not preauthorized for", Kind: KindConsent},
	90094:  {Meaning: "admin consent is required for the app", Kind: KindConsent},
	50105:  {Meaning: "the user is not assigned to the app", Kind: KindNotAssigned},
	50097:  {Meaning: "device authentication is required", Kind: KindDevice},
}

// LookupCode explains an AADSTS code; unknown codes say so and link Microsoft's page.
func LookupCode(code int) CodeInfo {
	if info, ok := codeTable[code]; ok {
		info.Code = code
		return info
	}
	return CodeInfo{Code: code, Meaning: "an error code apppass does not know: see " + CodeURL(code), Kind: KindUnknown}
}

// CodeURL is Microsoft's page for an AADSTS code.
func CodeURL(code int) string {
	return fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", code)
}
