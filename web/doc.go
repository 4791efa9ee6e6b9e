// Package web is the officers' web inbox: server-rendered pages over the
// queue's streams, buckets and object store. Inkorg lists every
// submission (the newest record of each, held in an in-memory index kept
// current from ANSOKAN_RECORDS, ANSOKAN_DEAD and the status bucket), with
// live updates by Server-Sent Events; Ansökan lays one record out as an
// officer reads it; Ladda upp submits the files of one submission; Fel
// lists dead letters with a retry.
//
// Everything but /login and the static assets needs a signed-in session.
// Officers are checked by a Verifier (package account's store of argon2id
// hashes), or signed in by a trusted reverse proxy's header. Every POST
// carries the session's CSRF token. What officers view, download, upload,
// retry and reprocess is written to the audit log.
//
// Officer-facing text is Swedish; logs and errors are English.
package web
