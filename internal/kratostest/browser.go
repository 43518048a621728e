package kratostest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
)

// AcceptInvitation does what a person does with an invitation or recovery
// email, as the web app does for them in a browser (cookies and CSRF
// tokens): loads the recovery flow named in the link, enters the code, and
// chooses a password in the settings flow Kratos leads to.
func (s *Server) AcceptInvitation(ctx context.Context, link, code, password string) error {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	u, err := url.Parse(link)
	if err != nil {
		return err
	}
	flowID := u.Query().Get("flow")
	if flowID == "" {
		return fmt.Errorf("no flow in the link %q", link)
	}
	var flow Flow
	if _, err := browse(ctx, c, "GET", s.PublicURL+"/self-service/recovery/flows?id="+flowID, "", nil, &flow); err != nil {
		return err
	}
	status, err := browse(ctx, c, "POST", s.PublicURL+"/self-service/recovery?flow="+flowID, "",
		map[string]any{"method": "code", "code": code, "csrf_token": flow.CSRF()}, nil)
	// Success is a request to move the browser to the settings flow (422 in Kratos v1.3).
	if err != nil && status != http.StatusUnprocessableEntity {
		return fmt.Errorf("recovery with the code: %w", err)
	}
	var settings Flow
	if _, err := browse(ctx, c, "GET", s.PublicURL+"/self-service/settings/browser", "", nil, &settings); err != nil {
		return fmt.Errorf("opening the settings flow after recovery: %w", err)
	}
	if _, err := browse(ctx, c, "POST", s.PublicURL+"/self-service/settings?flow="+settings.ID, "",
		map[string]any{"method": "password", "password": password, "csrf_token": settings.CSRF()}, nil); err != nil {
		return fmt.Errorf("choosing the password: %w", err)
	}
	return nil
}

// browse sends a JSON request with client c (a browser's cookie jar, say)
// and decodes a 2xx JSON answer into out; a session token, if given, goes in
// X-Session-Token. It returns the status, and an error for 4xx and 5xx.
func browse(ctx context.Context, c *http.Client, method, url, token string, body, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("X-Session-Token", token)
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 400 {
		return res.StatusCode, fmt.Errorf("kratos %s %s: %d %s", method, url, res.StatusCode, b)
	}
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			return res.StatusCode, errors.Join(err, fmt.Errorf("body: %s", b))
		}
	}
	return res.StatusCode, nil
}
