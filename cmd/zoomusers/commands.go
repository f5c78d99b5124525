package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/mail"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/bulk"
	"github.com/zoomkit/go-zoomusers/zoomusers/settingspec"
)

// command is one subcommand. Its flags live in its run function; run passes them to
// e.parse, which answers -h and --help from this entry and the flags.
type command struct {
	run     func(ctx context.Context, e *env, args []string) error
	args    string // the positional arguments, as help shows them: "USER"
	summary string
	example string
}

// commands is the command table. To add a command, add its line below, or from a file
// of its own: func init() { commands["name"] = command{...} }.
var commands = map[string]command{}

// init fills the table: the commands' help refers back to it, which a plain
// initializer may not.
func init() {
	maps.Copy(commands, map[string]command{
		"list":           {list, "", "list users, streamed as they arrive", "zoomusers list -status inactive -format csv > inactive.csv"},
		"get":            {get, "USER", "show one user (ID, email or \"me\")", "zoomusers get jill@example.com -format json"},
		"create":         {create, "", "add a user", "zoomusers create -email nia@example.com -first-name Nia -type licensed -action autoCreate"},
		"update":         {update, "USER", "change profile fields", "zoomusers update nia@example.com -job-title Analyst -dept Finance"},
		"delete":         {deleteUser, "USER", "disassociate a user, or erase with -permanent, handing assets over with -transfer-to", "zoomusers delete leaver@example.com -transfer-to manager@example.com"},
		"activate":       {setStatus(zoomusers.UserStatusActionActivate, "activated"), "USER", "activate a deactivated user", "zoomusers activate nia@example.com"},
		"deactivate":     {setStatus(zoomusers.UserStatusActionDeactivate, "deactivated"), "USER", "deactivate a user", "zoomusers deactivate nia@example.com"},
		"settings":       {settings, "USER", "show settings, or change them with -set section.field=value", "zoomusers settings nia@example.com -set schedule_meeting.host_video=true"},
		"settings-keys":  {settingsKeys, "[PREFIX]", "list the settings -set and apply accept, with the values each takes", "zoomusers settings-keys in_meeting."},
		"assistants":     {assistants, "USER", "list a user's assistants", "zoomusers assistants jill@example.com"},
		"schedulers":     {schedulers, "USER", "list the users a user schedules for", "zoomusers schedulers jill@example.com -format json"},
		"upload-picture": {uploadPicture, "USER FILE", "set a profile picture (JPEG or PNG, at most 2 MB)", "zoomusers upload-picture jill@example.com jill.png"},
		"apply":          {apply, "FILE", "bring many users to the state a CSV or JSON lines file describes: plan, confirm, run, resume", "zoomusers apply -dry-run leavers.csv"},
		"demo":           {demo, "", "a short session: list, create, get, update, settings, delete", "zoomusers demo"},
		"version":        {version, "", "print the versions of the command, the library and Go", "zoomusers version"},
		"help":           {help, "[COMMAND]", "list the commands, or explain one", "zoomusers help apply"},
	})
}

// parse parses flags wherever they stand among the positional arguments, and checks that
// there are as many positional ones as names (a name in brackets is optional). -h and
// --help print the command's help and end it with errHelp.
func (e *env) parse(fs *flag.FlagSet, args []string, names ...string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				printCommandHelp(e.stdout, fs.Name(), fs)
				return nil, errHelp
			}
			return nil, usagef("%v; run 'zoomusers %s -h' for its flags", err, fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	required := 0
	for _, n := range names {
		if !strings.HasPrefix(n, "[") {
			required++
		}
	}
	if len(pos) < required || len(pos) > len(names) {
		if len(names) == 0 {
			return nil, usagef("takes no arguments, got %q", pos)
		}
		return nil, usagef("wants %s, got %d argument(s); run 'zoomusers %s -h'", strings.Join(names, " "), len(pos), fs.Name())
	}
	return pos, nil
}

func printCommandHelp(w io.Writer, name string, fs *flag.FlagSet) {
	c := commands[name]
	usage := "zoomusers " + name
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		usage += " [flags]"
	}
	if c.args != "" {
		usage += " " + c.args
	}
	fmt.Fprintf(w, "Usage: %s\n\n%s.\n", usage, strings.ToUpper(c.summary[:1])+c.summary[1:])
	if hasFlags {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if more := details[name]; more != "" {
		fmt.Fprintf(w, "\n%s", more)
	}
	fmt.Fprintf(w, "\nExample:\n  %s\n", c.example)
}

// details are further help of commands that need it.
var details = map[string]string{
	"apply": `Each row is the desired state of one user, named by email; a row already true of
the account changes nothing. Columns (CSV header) or keys (JSON lines):
  email (required), status (active, inactive, disassociated, deleted; empty leaves it),
  type (basic, licensed, unassigned, none), transfer_to (with disassociated or deleted:
  receives every asset Zoom can transfer), create_action, any field of Zoom's user update
  (first_name, last_name, dept, job_title, timezone, ...), and settings.SECTION.FIELD
  (see 'zoomusers settings-keys'). An empty cell leaves the field as it is.
The command lists the account, prints the plan field by field, asks (unless -yes), and
runs. A journal (FILE.journal unless -journal says otherwise) records each finished
row: after Ctrl-C, a crash or a daily limit, the same command resumes where it stopped.
Rows Zoom refused are reported with Zoom's code, message and tracking ID; any makes the
exit status 1.
`,
	"settings": `Keys and values are checked against the spec before any request: an unknown key,
or a value of the wrong type, is refused naming the key, what it takes, and the nearest
known keys (exit 2). -allow-unknown sends a key the spec does not know as given (JSON
when the value is JSON, else a string): Zoom may have added it after the spec.
Zoom answers success to keys it does not know and to changes it does not make (a pending
user's), so after a change the command reads the settings back and prints each key as
"applied" or "ignored". Exit status: 0 every key applied; 3 Zoom answered success but at
least one key reads back absent or with another value; 1 Zoom refused; 2 a local mistake.
`,
}

func mainHelp() string {
	var b strings.Builder
	b.WriteString("zoomusers manages the users of a Zoom account.\n\nCommands:\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, name := range slices.Sorted(maps.Keys(commands)) {
		c := commands[name]
		fmt.Fprintf(tw, "  %s\t%s\n", strings.TrimSpace(name+" "+c.args), c.summary)
	}
	tw.Flush()
	b.WriteString("\nRun 'zoomusers COMMAND -h' for a command's flags and an example.\n\nEnvironment:\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, v := range envVars {
		fmt.Fprintf(tw, "  %s\t%s\n", v.name, v.doc)
	}
	tw.Flush()
	b.WriteString(`Without the three credentials (and without ZOOM_BASE_URL and ZOOM_TOKEN_URL), the
commands run against a built-in fake Zoom with sample users.

Exit status: 0 success; 1 Zoom or the network refused; 2 a local mistake (command line,
input file, email, setting, environment), found before any request; 3 a settings change
Zoom answered with success but the read-back shows not applied; 130 interrupted.
`)
	return b.String()
}

func help(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("help", flag.ContinueOnError)
	pos, err := e.parse(fs, args, "[COMMAND]")
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fmt.Fprint(e.stdout, mainHelp())
		return nil
	}
	c, ok := commands[pos[0]]
	if !ok {
		return usagef("no command %q; run 'zoomusers help' for the list", pos[0])
	}
	return c.run(ctx, e, []string{"-h"})
}

func version(ctx context.Context, e *env, args []string) error {
	if _, err := e.parse(flag.NewFlagSet("version", flag.ContinueOnError), args); err != nil {
		return err
	}
	cmdVersion := "(devel)"
	goVersion := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
		if v := bi.Main.Version; v != "" {
			cmdVersion = v
		}
	}
	fmt.Fprintf(e.stdout, "zoomusers %s (library github.com/zoomkit/go-zoomusers %s, %s)\n", cmdVersion, zoomusers.Version, goVersion)
	return nil
}

// formatFlag adds -format, taking one of formats (the first is the default).
func formatFlag(fs *flag.FlagSet, formats ...string) func() (string, error) {
	f := fs.String("format", formats[0], "output format: "+strings.Join(formats, ", "))
	return func() (string, error) {
		if !slices.Contains(formats, *f) {
			return "", usagef("-format %q: want %s", *f, strings.Join(formats, ", "))
		}
		return *f, nil
	}
}

// checkEmail refuses what is not a bare email address, before any request.
func checkEmail(flagName, s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return usagef("%s %q is not an email address", flagName, s)
	}
	return nil
}

func name(u zoomusers.User) string {
	return strings.TrimSpace(u.GetFirstName() + " " + u.GetLastName())
}

func list(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	status := fs.String("status", "active", "active, inactive or pending")
	role := fs.String("role", "", "only users with this role ID")
	format := formatFlag(fs, "table", "csv", "json")
	pageSize := fs.Int("page-size", 300, "users per request, 1 to 2000")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	switch *status {
	case "active", "inactive", "pending":
	default:
		return usagef("-status %q: want active, inactive or pending", *status)
	}
	if *pageSize < 1 || *pageSize > 2000 {
		return usagef("-page-size %d: want 1 to 2000", *pageSize)
	}
	f, err := format()
	if err != nil {
		return err
	}
	c, err := e.zoom()
	if err != nil {
		return err
	}
	out := newUserWriter(f, e.stdout)
	progress := newProgressLine(e.stderr)
	defer progress.clear()
	n := 0
	pager := c.ListUsers(ctx, &zoomusers.ListUsersParams{Status: zoomusers.UserStatus(*status), RoleID: *role, PageSize: *pageSize})
	for page, err := range pager.Pages() {
		if err != nil {
			out.close()
			return err
		}
		for _, u := range page.Users {
			if err := out.write(u); err != nil {
				return err
			}
			n++
		}
		if page.NextPageToken != "" {
			progress.show(fmt.Sprintf("listed %d of %d users…", n, page.TotalRecords), true)
		}
	}
	progress.clear()
	return out.close()
}

// userWriter writes users as they arrive, each row at once: a listing into a pipe
// shows its first page while the next is fetched.
type userWriter struct {
	write func(zoomusers.User) error
	close func() error
}

// tableColumns are the widths of list's table; longer values push the row out rather
// than wait for the whole listing to measure it.
var tableColumns = []int{24, 34, 26, 11}

func tableRow(w io.Writer, cells ...string) error {
	var b strings.Builder
	for i, c := range cells {
		if i < len(tableColumns) {
			fmt.Fprintf(&b, "%-*s ", tableColumns[i]-1, c)
		} else {
			b.WriteString(c)
		}
	}
	_, err := fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	return err
}

func newUserWriter(format string, w io.Writer) *userWriter {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"id", "email", "first_name", "last_name", "type", "status"})
		cw.Flush()
		return &userWriter{
			write: func(u zoomusers.User) error {
				cw.Write([]string{u.GetID(), u.GetEmail(), u.GetFirstName(), u.GetLastName(), u.Type.String(), string(u.GetStatus())})
				cw.Flush()
				return cw.Error()
			},
			close: func() error { cw.Flush(); return cw.Error() },
		}
	case "json":
		first := true
		io.WriteString(w, "[")
		return &userWriter{
			write: func(u zoomusers.User) error {
				raw, err := json.Marshal(u)
				if err != nil {
					return err
				}
				sep := ",\n"
				if first {
					sep = ""
				}
				first = false
				_, err = fmt.Fprintf(w, "%s%s", sep, raw)
				return err
			},
			close: func() error { _, err := io.WriteString(w, "]\n"); return err },
		}
	}
	tableRow(w, "ID", "EMAIL", "NAME", "TYPE", "STATUS")
	return &userWriter{
		write: func(u zoomusers.User) error {
			return tableRow(w, listedID(u), u.GetEmail(), name(u), u.Type.String(), string(u.GetStatus()))
		},
		close: func() error { return nil },
	}
}

// listedID is the table's ID of a listed user: Zoom lists a pending user without one and
// answers get by email with it (ZOOM_FACTS.md "Behaviour seen in the field").
func listedID(u zoomusers.User) string {
	if u.GetID() == "" && u.GetStatus() == zoomusers.UserStatusPending {
		return pendingID
	}
	return u.GetID()
}

func get(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	format := formatFlag(fs, "table", "json")
	pos, err := e.parse(fs, args, "USER")
	if err != nil {
		return err
	}
	f, err := format()
	if err != nil {
		return err
	}
	c, err := e.zoom()
	if err != nil {
		return err
	}
	u, err := c.User(pos[0]).Get(ctx, nil)
	if err != nil {
		return err
	}
	if f == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(u)
	}
	printUser(e.stdout, *u)
	return nil
}

func printUser(w io.Writer, u zoomusers.User) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "ID:\t%s\nEmail:\t%s\nName:\t%s\nType:\t%s\nStatus:\t%s\n", u.GetID(), u.GetEmail(), name(u), u.Type, u.GetStatus())
	if pmi := u.GetPMI(); pmi != 0 {
		fmt.Fprintf(tw, "PMI:\t%d\n", pmi)
	}
	for _, f := range [][2]string{{"Department:", u.GetDept()}, {"Job title:", u.GetJobTitle()}, {"Timezone:", u.GetTimezone()}} {
		if f[1] != "" {
			fmt.Fprintf(tw, "%s\t%s\n", f[0], f[1])
		}
	}
	tw.Flush()
}

// pendingID stands in list's table for the ID Zoom leaves out of a pending user's list
// item until the invitation is accepted; get by email shows it.
const pendingID = "(pending: get by email)"

func create(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("create", flag.ContinueOnError)
	email := fs.String("email", "", "the new user's email (required)")
	first := fs.String("first-name", "", "first name (CSV column first_name)")
	last := fs.String("last-name", "", "last name (CSV column last_name)")
	typ := fs.String("type", "basic", "basic or licensed")
	action := fs.String("action", "create", "create (Zoom emails an invitation; pending until accepted), autoCreate, custCreate or ssoCreate")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return usagef("-email is required")
	}
	if err := checkEmail("-email", *email); err != nil {
		return err
	}
	types := map[string]zoomusers.UserType{"basic": zoomusers.UserTypeBasic, "licensed": zoomusers.UserTypeLicensed}
	t, ok := types[strings.ToLower(*typ)]
	if !ok {
		return usagef("-type %q: want basic or licensed", *typ)
	}
	switch *action {
	case "create", "autoCreate", "custCreate", "ssoCreate":
	default:
		return usagef("-action %q: want create, autoCreate, custCreate or ssoCreate", *action)
	}
	c, err := e.zoom()
	if err != nil {
		return err
	}
	info := zoomusers.NewUser{Email: *email, Type: t}
	if *first != "" {
		info.FirstName = first
	}
	if *last != "" {
		info.LastName = last
	}
	u, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserAction(*action), UserInfo: info})
	if err != nil {
		return err
	}
	switch {
	case u.GetID() == "":
		fmt.Fprintf(e.stdout, "created %s: pending until the user accepts Zoom's invitation email; Zoom's answer had no ID (get by email shows it)\n", u.GetEmail())
	case *action == "create":
		fmt.Fprintf(e.stdout, "created %s (%s): pending until the user accepts Zoom's invitation email; until then Zoom lists the user without an ID (get by email shows it)\n", u.GetEmail(), u.GetID())
	default:
		fmt.Fprintf(e.stdout, "created %s (%s)\n", u.GetEmail(), u.GetID())
	}
	return nil
}

func update(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("update", flag.ContinueOnError)
	var upd zoomusers.UserUpdate
	fields := []struct {
		flag, help string
		field      **string
	}{{"first-name", "new first name", &upd.FirstName}, {"last-name", "new last name", &upd.LastName}, {"dept", "new department", &upd.Dept},
		{"job-title", "new job title", &upd.JobTitle}, {"timezone", "new time zone (IANA name, such as Europe/Paris)", &upd.Timezone}}
	values := map[string]*string{}
	for _, f := range fields {
		values[f.flag] = fs.String(f.flag, "", f.help)
	}
	pos, err := e.parse(fs, args, "USER")
	if err != nil {
		return err
	}
	changed := 0
	for _, f := range fields {
		fs.Visit(func(fl *flag.Flag) {
			if fl.Name == f.flag {
				*f.field = values[f.flag]
				changed++
			}
		})
	}
	if changed == 0 {
		return usagef("nothing to change: give -first-name, -last-name, -dept, -job-title or -timezone")
	}
	if upd.Timezone != nil {
		if err := checkTimezone(*upd.Timezone); err != nil {
			return usagef("-timezone: %v", err)
		}
	}
	c, err := e.zoom()
	if err != nil {
		return err
	}
	u := c.User(pos[0])
	// Read the status first: Zoom answers success to a pending user's update and applies
	// none of it (ZOOM_FACTS.md, "Behaviour seen in the field"), so "updated" would lie.
	current, err := u.Get(ctx, nil)
	if err != nil {
		return err
	}
	if current.GetStatus() == zoomusers.UserStatusPending {
		return notAppliedError{msg: fmt.Sprintf("%s is pending: they have not accepted Zoom's invitation email yet, and Zoom takes a pending user's update without applying it, so nothing was sent; update the user once they accept it", pos[0])}
	}
	if err := u.Update(ctx, upd, nil); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "updated %s\n", pos[0])
	return nil
}

func deleteUser(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("delete", flag.ContinueOnError)
	permanent := fs.Bool("permanent", false, "erase the user for good instead of disassociating")
	transfer := fs.String("transfer-to", "", "first hand every asset Zoom can transfer (meetings, webinars, recordings, whiteboards, clips, notes, visitors, docs) to this user")
	yes := fs.Bool("yes", false, "do not ask for confirmation (needed when not on a terminal)")
	pos, err := e.parse(fs, args, "USER")
	if err != nil {
		return err
	}
	if *transfer != "" {
		if err := checkEmail("-transfer-to", *transfer); err != nil {
			return err
		}
	}
	params := &zoomusers.DeleteUserParams{}
	verb, question := "disassociated", "Disassociate %s from the account?"
	if *permanent {
		params.Action = zoomusers.DeleteActionDelete
		verb, question = "deleted", "Delete %s for good? This cannot be undone"
	}
	var transferred []string
	if *transfer != "" {
		transferred = bulk.TransferAll(params, *transfer)
		question = strings.TrimSuffix(question, "?") + ", transferring " + strings.Join(transferred, ", ") + " to " + *transfer + "?"
	}
	c, err := e.zoom()
	if err != nil {
		return err
	}
	if !*yes {
		if err := e.confirm(ctx, fmt.Sprintf(question, pos[0])); err != nil {
			return err
		}
	}
	if err := c.User(pos[0]).Delete(ctx, params); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s %s\n", verb, pos[0])
	if len(transferred) > 0 {
		fmt.Fprintf(e.stdout, "transferred to %s: %s\n", *transfer, strings.Join(transferred, ", "))
	}
	return nil
}

func setStatus(action zoomusers.UserStatusAction, verb string) func(context.Context, *env, []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		pos, err := e.parse(flag.NewFlagSet(string(action), flag.ContinueOnError), args, "USER")
		if err != nil {
			return err
		}
		c, err := e.zoom()
		if err != nil {
			return err
		}
		u := c.User(pos[0])
		// Read the status first: Zoom takes a change to the status a user already has, and
		// any change of a pending user's, without making it (ZOOM_FACTS.md, "Behaviour seen
		// in the field"), so only the current status says what the command would do.
		current, err := u.Get(ctx, nil)
		if err != nil {
			return err
		}
		want := map[zoomusers.UserStatusAction]zoomusers.UserStatus{
			zoomusers.UserStatusActionActivate: zoomusers.UserStatusActive, zoomusers.UserStatusActionDeactivate: zoomusers.UserStatusInactive,
		}[action]
		switch current.GetStatus() {
		case want:
			fmt.Fprintf(e.stdout, "%s is already %s\n", pos[0], want)
			return nil
		case zoomusers.UserStatusPending:
			return fmt.Errorf("%s is pending: they have not accepted Zoom's invitation email yet, and Zoom does not change a pending user's status; ask them to accept it, or delete the user and create it again with -action autoCreate", pos[0])
		}
		if err := u.SetStatus(ctx, action); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s %s\n", verb, pos[0])
		return nil
	}
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func settings(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("settings", flag.ContinueOnError)
	var sets multiFlag
	fs.Var(&sets, "set", "section.field=value to change (repeatable); 'zoomusers settings-keys' lists them")
	allowUnknown := fs.Bool("allow-unknown", false, "send keys the spec does not know (newer than it) instead of refusing them; the read-back says whether Zoom took each")
	format := formatFlag(fs, "table", "json")
	pos, err := e.parse(fs, args, "USER")
	if err != nil {
		return err
	}
	f, err := format()
	if err != nil {
		return err
	}
	values := map[string]any{}
	for _, s := range sets {
		key, text, ok := strings.Cut(s, "=")
		if !ok {
			return usagef("-set %q: want section.field=value", s)
		}
		field, err := settingspec.Lookup(key)
		var unknown *settingspec.UnknownError
		switch {
		case err == nil:
			if values[key], err = field.Parse(text); err != nil {
				return err
			}
		case !errors.As(err, &unknown):
			return err // read only: no flag sends it, Zoom would ignore it
		case *allowUnknown:
			values[key] = settingspec.ParseUnknown(text)
		default:
			return fmt.Errorf("%w (-allow-unknown sends it anyway)", err)
		}
	}
	c, err := e.zoom()
	if err != nil {
		return err
	}
	u := c.User(pos[0])
	if len(values) > 0 {
		// Zoom answers 204 to keys it ignores and to changes it does not make, so the
		// outcome of each key comes from reading the settings back.
		outcomes, err := settingspec.ApplyAndReadBack(ctx, u, values, settingspec.Options{AllowUnknown: *allowUnknown})
		if err != nil {
			return err
		}
		return reportOutcomes(e.stdout, outcomes)
	}
	s, err := u.Settings(ctx, nil)
	if err != nil {
		return err
	}
	if f == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	var tree map[string]any
	raw, _ := json.Marshal(s)
	json.Unmarshal(raw, &tree)
	printTree(e.stdout, "", tree)
	return nil
}

// notAppliedError is a change Zoom answered (or would answer) with success but did not
// fully make: settings keys the read-back does not hold, or msg for a change of a pending
// user the command did not send. It exits 3.
type notAppliedError struct {
	keys []string
	msg  string
}

func (e notAppliedError) Error() string {
	if e.msg != "" {
		return e.msg
	}
	return fmt.Sprintf("Zoom accepted the change but the settings read back do not hold %s", strings.Join(e.keys, ", "))
}

// reportOutcomes prints one line per key, applied or ignored, and returns a
// notAppliedError when any key was not applied. A write-only key, which Zoom never
// answers, is reported as sent: the read-back cannot tell.
func reportOutcomes(w io.Writer, outcomes []zoomusers.SettingOutcome) error {
	var missed []string
	for _, o := range outcomes {
		f, _ := settingspec.Lookup(o.Path)
		switch {
		case o.Applied:
			fmt.Fprintf(w, "applied %s = %s\n", o.Path, jsonText(o.Sent))
		case f.WriteOnly && !o.Shown:
			fmt.Fprintf(w, "sent %s = %s (write only: Zoom takes it and never shows it back, so the read-back cannot confirm it)\n", o.Path, jsonText(o.Sent))
		case o.Shown:
			fmt.Fprintf(w, "ignored %s: sent %s, Zoom holds %s (the account may lock it, or the user is pending)\n", o.Path, jsonText(o.Sent), jsonText(o.Got))
			missed = append(missed, o.Path)
		default:
			fmt.Fprintf(w, "ignored %s: sent %s, Zoom does not show it back (a key it does not know, or one it never shows)\n", o.Path, jsonText(o.Sent))
			missed = append(missed, o.Path)
		}
	}
	if len(missed) > 0 {
		return notAppliedError{keys: missed}
	}
	return nil
}

// printTree prints nested settings as path = value lines, the form -set takes.
func printTree(w io.Writer, prefix string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		fmt.Fprintf(w, "%s = %s\n", prefix, jsonText(v))
		return
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		printTree(w, p, m[k])
	}
}

func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

func settingsKeys(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("settings-keys", flag.ContinueOnError)
	pos, err := e.parse(fs, args, "[PREFIX]")
	if err != nil {
		return err
	}
	prefix := ""
	if len(pos) == 1 {
		prefix = pos[0]
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	n := 0
	for _, f := range settingspec.Fields() {
		if strings.HasPrefix(f.Path, prefix) {
			note := ""
			if f.WriteOnly {
				note = " (write only: Zoom does not show it back)"
			}
			fmt.Fprintf(tw, "%s\t%s%s\n", f.Path, f.Want(), note)
			n++
		}
	}
	tw.Flush()
	if n == 0 {
		return usagef("no setting starts with %q; the sections are %s", prefix, strings.Join(settingspec.Sections(), ", "))
	}
	return nil
}

func assistants(ctx context.Context, e *env, args []string) error {
	return listPeople(ctx, e, "assistants", args, func(ctx context.Context, u *zoomusers.UserHandle) ([]person, error) {
		list, err := u.Assistants(ctx)
		out := make([]person, len(list))
		for i, a := range list {
			out[i] = person{a.GetID(), a.GetEmail()}
		}
		return out, err
	}, "%s has no assistants\n")
}

func schedulers(ctx context.Context, e *env, args []string) error {
	return listPeople(ctx, e, "schedulers", args, func(ctx context.Context, u *zoomusers.UserHandle) ([]person, error) {
		list, err := u.Schedulers(ctx)
		out := make([]person, len(list))
		for i, s := range list {
			out[i] = person{s.GetID(), s.GetEmail()}
		}
		return out, err
	}, "%s schedules for no one\n")
}

type person struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

func listPeople(ctx context.Context, e *env, name string, args []string, fetch func(context.Context, *zoomusers.UserHandle) ([]person, error), none string) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	format := formatFlag(fs, "table", "csv", "json")
	pos, err := e.parse(fs, args, "USER")
	if err != nil {
		return err
	}
	f, err := format()
	if err != nil {
		return err
	}
	c, err := e.zoom()
	if err != nil {
		return err
	}
	list, err := fetch(ctx, c.User(pos[0]))
	if err != nil {
		return err
	}
	switch f {
	case "json":
		if list == nil {
			list = []person{}
		}
		return json.NewEncoder(e.stdout).Encode(list)
	case "csv":
		cw := csv.NewWriter(e.stdout)
		cw.Write([]string{"id", "email"})
		for _, p := range list {
			cw.Write([]string{p.ID, p.Email})
		}
		cw.Flush()
		return cw.Error()
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stdout, none, pos[0])
		return nil
	}
	tableRow(e.stdout, "ID", "EMAIL")
	for _, p := range list {
		tableRow(e.stdout, p.ID, p.Email)
	}
	return nil
}

func uploadPicture(ctx context.Context, e *env, args []string) error {
	pos, err := e.parse(flag.NewFlagSet("upload-picture", flag.ContinueOnError), args, "USER", "FILE")
	if err != nil {
		return err
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return usagef("%v", err)
	}
	defer f.Close()
	c, err := e.zoom()
	if err != nil {
		return err
	}
	if err := c.User(pos[0]).UploadPicture(ctx, f.Name(), f); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "uploaded %s as the picture of %s\n", pos[1], pos[0])
	return nil
}
