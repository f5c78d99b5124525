package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/bulk"
)

func apply(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	dryRun := fs.Bool("dry-run", false, "print the plan and stop; nothing is changed")
	yes := fs.Bool("yes", false, "do not ask for confirmation (needed when not on a terminal)")
	journalPath := fs.String("journal", "", "the journal of finished rows, for resuming (default FILE.journal; \"off\" for none)")
	reportPath := fs.String("report", "", "write each row's outcome, Zoom code, message and tracking ID to this file (\"-\" for standard output)")
	reportFormat := fs.String("report-format", "csv", "the report's format: csv or json (JSON lines)")
	inputFormat := fs.String("input-format", "", "csv or jsonl (default: from FILE's extension; csv for standard input)")
	concurrency := fs.Int("concurrency", 4, "rows in flight at once, 1 to 32; the client paces requests under Zoom's rate limits")
	summary := fs.Bool("summary", false, "print the plan's counts, not every row's changes (the full plan is about four lines a row)")
	createAction := fs.String("create-action", "create", "how to create users whose rows do not say: create (Zoom emails an invitation), autoCreate, custCreate or ssoCreate")
	pos, err := e.parse(fs, args, "FILE")
	if err != nil {
		return err
	}
	file := pos[0]
	format, err := inputFormatOf(file, *inputFormat)
	if err != nil {
		return err
	}
	if *concurrency < 1 || *concurrency > 32 {
		return usagef("-concurrency %d: want 1 to 32", *concurrency)
	}
	switch *reportFormat {
	case "csv", "json":
	default:
		return usagef("-report-format %q: want csv or json", *reportFormat)
	}
	action := zoomusers.CreateUserAction(*createAction)
	switch action {
	case zoomusers.CreateUserActionCreate, zoomusers.CreateUserActionAutoCreate, zoomusers.CreateUserActionCustCreate, zoomusers.CreateUserActionSSOCreate:
	default:
		return usagef("-create-action %q: want create, autoCreate, custCreate or ssoCreate", *createAction)
	}

	var in io.Reader = e.stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return usagef("%v", err)
		}
		defer f.Close()
		in = f
	}
	rows, err := bulk.Read(in, format)
	if err != nil {
		return err
	}
	var tzErrs bulk.InputErrors
	for _, r := range rows {
		if tz, ok := r.Profile["timezone"].(string); ok {
			if err := checkTimezone(tz); err != nil {
				tzErrs = append(tzErrs, &bulk.InputError{Line: r.Line, Column: "timezone", Msg: err.Error()})
			}
		}
	}
	if len(tzErrs) > 0 {
		return tzErrs
	}
	if *journalPath == "" && file != "-" {
		*journalPath = file + ".journal"
	}
	var journal *bulk.Journal
	if *journalPath != "" && *journalPath != "off" && !*dryRun {
		if journal, err = bulk.OpenJournal(*journalPath); err != nil {
			return usagef("%v", err)
		}
		defer journal.Close()
		if n := journal.Finished(); n > 0 {
			fmt.Fprintf(e.stderr, "resuming: the journal %s holds %d finished row(s); delete it to start over\n", *journalPath, n)
		}
	} else if *journalPath != "" && *journalPath != "off" {
		// A dry run reads the journal to show what a resumed run would skip, and writes nothing.
		if _, statErr := os.Stat(*journalPath); statErr == nil {
			if journal, err = bulk.OpenJournal(*journalPath); err != nil {
				return usagef("%v", err)
			}
			defer journal.Close()
		}
	}

	c, err := e.zoom()
	if err != nil {
		return err
	}
	progress := newLoggedProgress(e.stderr)
	plan, err := bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{Journal: journal, CreateAction: action, Concurrency: *concurrency, OnProgress: progress.update})
	progress.clear()
	if err != nil {
		return err
	}
	if *summary {
		fmt.Fprintf(e.stdout, "Plan: %s.\n", plan.Counts())
		for _, rp := range plan.Rows {
			if rp.Err != nil {
				fmt.Fprintf(e.stdout, "line %d: %s: cannot run: %s\n", rp.Row.Line, rp.Row.Email, unprefixed(describe(rp.Err)))
			}
		}
	} else {
		plan.WriteTo(e.stdout)
	}
	if *dryRun {
		fmt.Fprintln(e.stdout, "Dry run: nothing was changed.")
		return nil
	}
	if !plan.Changes() {
		if n := plan.Counts().Failed; n > 0 {
			return fmt.Errorf("%d row(s) cannot run (see the plan); fix them and run the same command again", n)
		}
		return nil
	}
	if !*yes {
		question := fmt.Sprintf("Apply these changes to %d user(s)?", countChanging(plan))
		if plan.Destructive() {
			n := plan.Counts()
			question = fmt.Sprintf("Apply these changes to %d user(s), deactivating %d and removing %d?", countChanging(plan), n.Deactivate, n.Disassociate+n.Delete)
		}
		if err := e.confirm(ctx, question); err != nil {
			return err
		}
	}

	var report *bulk.ReportWriter
	if *reportPath != "" {
		var w io.Writer = e.stdout
		if *reportPath != "-" {
			f, err := os.Create(*reportPath)
			if err != nil {
				return usagef("%v", err)
			}
			defer f.Close()
			w = f
		}
		if report, err = bulk.NewReportWriter(w, bulk.Format(*reportFormat)); err != nil {
			return err
		}
	}
	onResult := func(r bulk.Result) {
		if report != nil {
			report.Write(r)
		}
		if r.Outcome == bulk.Failed {
			progress.clear()
			msg := r.Message
			if r.Code != 0 {
				msg = fmt.Sprintf("Zoom answered %d (code %d): %s", r.HTTPStatus, r.Code, r.Message)
			}
			if r.TrackingID != "" {
				msg += " [tracking id " + r.TrackingID + "]"
			}
			fmt.Fprintf(e.stderr, "line %d: %s: %s\n", r.Line, r.Email, msg)
		}
	}
	sum, err := plan.Apply(ctx, c, bulk.ApplyOptions{Concurrency: *concurrency, Journal: journal, OnResult: onResult, OnProgress: progress.update})
	progress.clear()
	if report != nil {
		if cerr := report.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	fmt.Fprintf(e.stdout, "Done: %s.\n", sum)
	if err != nil {
		var stopped *bulk.StoppedError
		if errors.As(err, &stopped) {
			return fmt.Errorf("%s; run the same command again to resume", describeStop(stopped))
		}
		return err
	}
	if sum.Failed > 0 {
		return fmt.Errorf("%d row(s) failed (see above%s); fix them and run the same command again: finished rows are skipped", sum.Failed, reportNote(*reportPath))
	}
	return nil
}

func describeStop(s *bulk.StoppedError) string {
	return fmt.Sprintf("stopped at line %d, as every further row would fail too: %s", s.Line, describe(s.Cause))
}

func reportNote(path string) string {
	if path == "" || path == "-" {
		return ""
	}
	return " and in " + path
}

func countChanging(p *bulk.Plan) int {
	n := 0
	for _, rp := range p.Rows {
		if len(rp.Steps) > 0 {
			n++
		}
	}
	return n
}

// inputFormatOf picks the input format: the flag, else the file's extension.
func inputFormatOf(file, flagValue string) (bulk.Format, error) {
	switch strings.ToLower(flagValue) {
	case "csv":
		return bulk.CSV, nil
	case "jsonl", "ndjson", "json":
		return bulk.JSONLines, nil
	case "":
	default:
		return "", usagef("-input-format %q: want csv or jsonl", flagValue)
	}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".jsonl", ".ndjson", ".json":
		return bulk.JSONLines, nil
	case ".csv", "":
		return bulk.CSV, nil
	}
	return "", usagef("%s: cannot tell the format from the extension; add -input-format csv or jsonl", file)
}
