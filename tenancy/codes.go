package tenancy

// Coder is an error with a stable machine code (e.g. "consent_required") and
// the parameters of its message: the API puts the code in its problem (so
// that clients can translate it) and translates the message itself
// (docs/errors.md).
type Coder interface {
	error
	ErrorCode() (code string, params map[string]string)
}

// CodedError gives an error a machine code and its message's parameters,
// without changing what it is (errors.Is and As see Err).
type CodedError struct {
	Code   string
	Params map[string]string
	Err    error
}

func (e *CodedError) Error() string { return e.Err.Error() }

// Unwrap returns the error given a code.
func (e *CodedError) Unwrap() error { return e.Err }

// ErrorCode returns the code and parameters.
func (e *CodedError) ErrorCode() (string, map[string]string) { return e.Code, e.Params }

// WithCode gives err a machine code and its message's parameters.
func WithCode(code string, params map[string]string, err error) error {
	return &CodedError{Code: code, Params: params, Err: err}
}
