from arshif.cli import main

raise SystemExit(main())
