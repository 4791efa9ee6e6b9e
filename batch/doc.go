// Package batch turns a tree of applications into records: folders
// (searched recursively), zip archives and single files in; one JSON
// record per submission out, appended to a JSON Lines file, and an Excel
// register of them.
//
// # Submissions
//
// A submission is the files of one application: typically the Word form,
// the signed PDF and the budget workbook. Files are grouped per folder
// (the folder they are in, or the folder inside a zip archive); files in
// different folders never group. Within a folder the rule is chosen with
// Grouping:
//
//   - stem (default): files whose names have the same StemKey are one
//     submission. The key is the name without its extension, case- and
//     accent-folded, with the words that say what a file is (ansökan,
//     budget, bilaga, signerad, signed, …, and a number right after one
//     of them) dropped from its start and end: "X.docx", "X.pdf",
//     "X-budget.xlsx", "X budget.xlsx", "X_budget.xlsx", "Ansökan X.docx"
//     and "Budget X.xlsx" are one submission. When a folder holds at most
//     one key other than the empty one (one application: "Ansökan.docx",
//     "Budget.xlsx", "Projekt Y.pdf"), the whole folder is one
//     submission. In a folder of several applications a file whose name
//     is only such words cannot be attributed and is a submission of its
//     own.
//   - folder: the files directly in one folder are one submission.
//   - file: every file is a submission.
//
// The files read are .docx, .pdf and .xlsx, and the office formats
// applicants send by mistake (.doc, .xls, .odt, .ods, .rtf, .docm,
// .xlsm), which get a record saying why they cannot be read. Hidden
// files, "~$" lock files, __MACOSX folders, links and nested archives
// are skipped.
//
// # E-mail
//
// Every .eml file (also in a zip archive), every message of an mbox file
// and every message of a Maildir (cur/ and new/, Maildir++ subfolders) is
// one submission of its own (Source.Mail): its application files are
// taken out by package message when it is read, named under the
// message's path, and its record carries source.message and a
// submission_id derived from the Message-ID.
//
// # Duplicates and resume
//
// A submission is known by its content: the set of its files' SHA-256
// digests, as its record's source.files lists them. A submission whose
// set another submission already had in this run is a duplicate and gets
// no record; with resume, a submission whose set a record in the output
// already has is skipped. A file that appears twice in one submission is
// read once.
//
// # Elsewhere
//
// With Options.Processor set, records are made by it instead of here:
// queue.Processor submits each submission as one job to the workers of a
// NATS JetStream cluster and waits for its record ('ansokan batch
// --via-nats'). Everything else (discovery, hashing, duplicates, resume,
// the output and the register) stays here, so the outputs are the same.
// A submission the Processor fails on counts as failed and is not
// written; a run with Resume hands it over again. A record that is not of
// the submission's files is a failure too.
//
// # Limits
//
// A file larger than Limits.MaxFileBytes gets a record saying it is too
// large (its bytes are hashed as they stream past, never held). A zip
// archive with more entries, or more declared or actual unpacked bytes,
// than the limits is refused whole. The Reader (an isolated process pool
// in production) bounds the time and memory of reading each file.
package batch
