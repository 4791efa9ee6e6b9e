// Package notify delivers alerts for the records ansokan publishes: an
// e-mail to the förbund's officers (SMTP with STARTTLS and
// authentication), optionally a reply to the applicant (the sender of the
// message the application came in), and a signed webhook POST.
//
// A Notifier reads ANSOKAN_RECORDS through the durable consumer
// queue.ConsumerNotify. For each record that calls for an alert
// (incomplete, and, when configured, uncertain readings or warnings) it
// sends to each target once: the deliveries bucket (queue.BucketDeliveries)
// holds one key per record and target, written after a send succeeds and
// read before every send, so a redelivery or a restart sends nothing
// again. A record is acknowledged once every target has it; a failed
// target is retried with the consumer's back-off and, after its last
// delivery, dead-lettered on ansokan.dead with the reason.
//
// The one gap is the moment between a send and the write that records
// it: a crash there sends that one message again on the next delivery
// (at least once, never lost). E-mails carry a Message-ID and webhooks
// an X-Ansokan-Delivery header that are the same on such a repeat, so a
// receiver can drop it.
package notify
