package zoomusers

import (
	"context"
	"strings"
	"time"
)

// TokenInfo is what the token endpoint said about the access token the client uses.
type TokenInfo struct {
	// APIURL is the token answer's api_url: the account's data region, such as
	// https://api.zoom.us or a regional host (ZOOM_FACTS.md, "Authentication"); "" when
	// the answer had none (a token from WithAccessToken, or one read back from a
	// TokenStore that keeps only the standard fields).
	APIURL string
	// Scopes are the scopes the token answer's scope lists as granted.
	Scopes []string
	// Expiry is when the token expires; zero when unknown.
	Expiry time.Time
}

// TokenInfo returns what the token endpoint said about the client's current access
// token, fetching one if the client holds none yet. It is how a tool tells which region
// an account lives in and which scopes an app was granted without making an API call.
func (c *Client) TokenInfo(ctx context.Context) (TokenInfo, error) {
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return TokenInfo{}, err
	}
	info := TokenInfo{Expiry: tok.Expiry}
	if s, ok := tok.Extra("api_url").(string); ok {
		info.APIURL = s
	}
	if s, ok := tok.Extra("scope").(string); ok {
		info.Scopes = strings.Fields(s)
	}
	return info, nil
}
