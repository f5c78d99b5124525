package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

type command func(ctx context.Context, e *env, args []string) error

var commands = map[string]command{
	"list":           list,
	"get":            get,
	"create":         create,
	"update":         update,
	"delete":         deleteUser,
	"activate":       setStatus(zoomusers.UserStatusActionActivate, "activated"),
	"deactivate":     setStatus(zoomusers.UserStatusActionDeactivate, "deactivated"),
	"settings":       settings,
	"assistants":     assistants,
	"schedulers":     schedulers,
	"upload-picture": uploadPicture,
	"demo":           demo,
}

// parseArgs parses flags wherever they stand among the positional arguments, and checks
// that there are exactly want positional ones, named in names.
func parseArgs(fs *flag.FlagSet, args []string, names ...string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != len(names) {
		if len(names) == 0 {
			return nil, usagef("takes no arguments, got %q", pos)
		}
		return nil, usagef("wants %s, got %d argument(s)", strings.Join(names, " "), len(pos))
	}
	return pos, nil
}

func name(u zoomusers.User) string {
	return strings.TrimSpace(u.GetFirstName() + " " + u.GetLastName())
}

func list(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	status := fs.String("status", "active", "active, inactive or pending")
	role := fs.String("role", "", "only users with this role ID")
	format := fs.String("format", "table", "table, json or csv")
	pageSize := fs.Int("page-size", 300, "users per request, 1 to 2000")
	if _, err := parseArgs(fs, args); err != nil {
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
	out, err := newUserWriter(*format, e.stdout)
	if err != nil {
		return err
	}
	progress := progressWriter(e.stderr)
	n := 0
	pager := e.client.ListUsers(ctx, &zoomusers.ListUsersParams{Status: zoomusers.UserStatus(*status), RoleID: *role, PageSize: *pageSize})
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
		if progress != nil && page.NextPageToken != "" {
			fmt.Fprintf(progress, "\rlisted %d of %d users…", n, page.TotalRecords)
		}
	}
	if progress != nil && n > *pageSize {
		fmt.Fprintf(progress, "\rlisted %d users          \n", n)
	}
	return out.close()
}

// progressWriter is stderr when it is a terminal, for progress lines; nil otherwise.
func progressWriter(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return f
}

// userWriter writes users as they arrive, in one of three formats.
type userWriter struct {
	write func(zoomusers.User) error
	close func() error
}

func newUserWriter(format string, w io.Writer) (*userWriter, error) {
	switch format {
	case "table":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tTYPE\tSTATUS")
		return &userWriter{
			write: func(u zoomusers.User) error {
				_, err := fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.GetID(), u.GetEmail(), name(u), u.Type, u.GetStatus())
				return err
			},
			close: tw.Flush,
		}, nil
	case "json":
		enc := json.NewEncoder(w)
		first := true
		io.WriteString(w, "[")
		return &userWriter{
			write: func(u zoomusers.User) error {
				if !first {
					io.WriteString(w, ",")
				}
				first = false
				return enc.Encode(u)
			},
			close: func() error { _, err := io.WriteString(w, "]\n"); return err },
		}, nil
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"id", "email", "first_name", "last_name", "type", "status"})
		return &userWriter{
			write: func(u zoomusers.User) error {
				return cw.Write([]string{u.GetID(), u.GetEmail(), u.GetFirstName(), u.GetLastName(), u.Type.String(), string(u.GetStatus())})
			},
			close: func() error { cw.Flush(); return cw.Error() },
		}, nil
	}
	return nil, usagef("-format %q: want table, json or csv", format)
}

func get(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	format := fs.String("format", "text", "text or json")
	pos, err := parseArgs(fs, args, "USER")
	if err != nil {
		return err
	}
	u, err := e.client.User(pos[0]).Get(ctx, nil)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(u)
	case "text":
		printUser(e.stdout, *u)
		return nil
	}
	return usagef("-format %q: want text or json", *format)
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

func create(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("create", flag.ContinueOnError)
	email := fs.String("email", "", "the new user's email (required)")
	first := fs.String("first", "", "first name")
	last := fs.String("last", "", "last name")
	typ := fs.String("type", "basic", "basic or licensed")
	action := fs.String("action", "create", "create (email invitation), autoCreate, custCreate or ssoCreate")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return usagef("-email is required")
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
	info := zoomusers.NewUser{Email: *email, Type: t}
	if *first != "" {
		info.FirstName = first
	}
	if *last != "" {
		info.LastName = last
	}
	u, err := e.client.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserAction(*action), UserInfo: info})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s (%s)\n", u.GetEmail(), u.GetID())
	return nil
}

func update(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("update", flag.ContinueOnError)
	var upd zoomusers.UserUpdate
	fields := map[string]**string{"first": &upd.FirstName, "last": &upd.LastName, "dept": &upd.Dept, "job-title": &upd.JobTitle, "timezone": &upd.Timezone}
	values := map[string]*string{}
	for f := range fields {
		values[f] = fs.String(f, "", "new "+f)
	}
	pos, err := parseArgs(fs, args, "USER")
	if err != nil {
		return err
	}
	changed := 0
	fs.Visit(func(f *flag.Flag) {
		*fields[f.Name] = values[f.Name]
		changed++
	})
	if changed == 0 {
		return usagef("nothing to change: give -first, -last, -dept, -job-title or -timezone")
	}
	if err := e.client.User(pos[0]).Update(ctx, upd, nil); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "updated %s\n", pos[0])
	return nil
}

func deleteUser(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("delete", flag.ContinueOnError)
	permanent := fs.Bool("permanent", false, "erase the user for good instead of disassociating")
	transfer := fs.String("transfer-to", "", "hand meetings, webinars and recordings to this user first")
	pos, err := parseArgs(fs, args, "USER")
	if err != nil {
		return err
	}
	params := &zoomusers.DeleteUserParams{}
	verb := "disassociated"
	if *permanent {
		params.Action = zoomusers.DeleteActionDelete
		verb = "deleted"
	}
	if *transfer != "" {
		params.TransferEmail = *transfer
		params.TransferMeeting, params.TransferWebinar, params.TransferRecording = true, true, true
	}
	if err := e.client.User(pos[0]).Delete(ctx, params); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s %s\n", verb, pos[0])
	return nil
}

func setStatus(action zoomusers.UserStatusAction, verb string) command {
	return func(ctx context.Context, e *env, args []string) error {
		pos, err := parseArgs(flag.NewFlagSet(string(action), flag.ContinueOnError), args, "USER")
		if err != nil {
			return err
		}
		if err := e.client.User(pos[0]).SetStatus(ctx, action); err != nil {
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

var settingsSections = []string{"email_notification", "feature", "in_meeting", "profile", "recording", "schedule_meeting", "telephony", "tsp"}

func settings(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("settings", flag.ContinueOnError)
	var sets multiFlag
	fs.Var(&sets, "set", "section.field=value to change (repeatable)")
	pos, err := parseArgs(fs, args, "USER")
	if err != nil {
		return err
	}
	u := e.client.User(pos[0])
	if len(sets) == 0 {
		s, err := u.Settings(ctx, nil)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	patch := map[string]map[string]any{}
	for _, s := range sets {
		key, value, ok := strings.Cut(s, "=")
		section, field, ok2 := strings.Cut(key, ".")
		if !ok || !ok2 || field == "" {
			return usagef("-set %q: want section.field=value", s)
		}
		if !slices.Contains(settingsSections, section) {
			return usagef("-set %q: unknown section %q; one of %s", s, section, strings.Join(settingsSections, ", "))
		}
		if patch[section] == nil {
			patch[section] = map[string]any{}
		}
		patch[section][field] = parseValue(value)
	}
	raw, _ := json.Marshal(patch)
	var body zoomusers.UserSettings
	if err := json.Unmarshal(raw, &body); err != nil {
		return usagef("%v", err)
	}
	if err := u.UpdateSettings(ctx, body); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "updated %d setting(s) of %s\n", len(sets), pos[0])
	return nil
}

func parseValue(v string) any {
	if b, err := strconv.ParseBool(v); err == nil {
		return b
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n
	}
	return v
}

func assistants(ctx context.Context, e *env, args []string) error {
	pos, err := parseArgs(flag.NewFlagSet("assistants", flag.ContinueOnError), args, "USER")
	if err != nil {
		return err
	}
	list, err := e.client.User(pos[0]).Assistants(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stdout, "%s has no assistants\n", pos[0])
	}
	for _, a := range list {
		fmt.Fprintf(e.stdout, "%s\t%s\n", a.GetID(), a.GetEmail())
	}
	return nil
}

func schedulers(ctx context.Context, e *env, args []string) error {
	pos, err := parseArgs(flag.NewFlagSet("schedulers", flag.ContinueOnError), args, "USER")
	if err != nil {
		return err
	}
	list, err := e.client.User(pos[0]).Schedulers(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stdout, "%s schedules for no one\n", pos[0])
	}
	for _, s := range list {
		fmt.Fprintf(e.stdout, "%s\t%s\n", s.GetID(), s.GetEmail())
	}
	return nil
}

func uploadPicture(ctx context.Context, e *env, args []string) error {
	pos, err := parseArgs(flag.NewFlagSet("upload-picture", flag.ContinueOnError), args, "USER", "FILE")
	if err != nil {
		return err
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return err
	}
	defer f.Close()
	if err := e.client.User(pos[0]).UploadPicture(ctx, f.Name(), f); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "uploaded %s as the picture of %s\n", pos[1], pos[0])
	return nil
}
