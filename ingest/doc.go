// Package ingest reads the förbund's mailbox over IMAP: every new message
// in a folder becomes one submission, queued whole (queue.Client's
// SubmitMessage: the worker reads its attached application files), and
// the message is then moved to a folder of processed messages or marked
// with a keyword, so that it is not read twice.
//
// Nothing is lost and nothing is made twice: a message is marked only
// after the queue has it, and a message read again after a crash between
// the two is the same job (its submission id follows its Message-ID, its
// job id its bytes), which the queue recognises, so it gets its one
// record. The server is watched with IDLE where it has it, and searched
// again every poll interval in any case.
package ingest
