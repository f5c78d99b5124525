// Package bulk runs admin jobs over many Zoom users: provisioning from a file, license
// changes, deactivating leavers, sweeping a setting across the account.
//
// A job is a list of rows, each the desired state of one user named by email (Read takes
// CSV or JSON lines). NewPlan compares the rows with the account, listed in full first
// (Snapshot) so that a job that changes what it lists skips no one, and says row by row
// what would change: creations, field-by-field profile and license changes, settings,
// activations, deactivations, deletions with transfers. Apply carries the plan out with
// bounded concurrency under the client's pacing and retries, records each finished row
// in a Journal so that an interrupted job resumes without redoing it, reports each row's
// outcome with Zoom's code, message and tracking ID, and reports progress with rate and
// ETA.
//
//	rows, err := bulk.Read(f, bulk.CSV)
//	journal, err := bulk.OpenJournal("job.journal")
//	plan, err := bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{Journal: journal})
//	fmt.Print(plan)              // what would change
//	sum, err := plan.Apply(ctx, c, bulk.ApplyOptions{Journal: journal, OnResult: report.Write})
//
// Rows are desired states, not commands: a row already true of the account changes
// nothing, so running a job twice is safe, and the journal only spares the second run
// the reads and the writes Zoom cannot tell apart (fields it never returns).
package bulk
